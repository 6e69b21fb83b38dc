package io.pgpartition.test.seeds;

import java.util.List;

/**
 * The tables of the partitioning plans pgpartition was built to serve, as DDL with fixed dates so that tests can
 * assert exact layouts:
 * <ul>
 *   <li>{@code content_items_all}: LIST by {@code source_type}, partitions {@code content_items} ('items') and
 *       {@code content_items_auto} ('auto');</li>
 *   <li>{@code chat_messages}: RANGE quarterly by {@code created_at} (timestamp), 2024 Q1-Q4, primary key
 *       {@code (id, created_at)}, unique {@code (message_id, created_at)}, enum column {@code role};</li>
 *   <li>{@code event_impressions}: RANGE monthly by {@code created_at} (timestamptz), January-March 2025;</li>
 *   <li>{@code generated_images} and {@code credit_transactions}: RANGE monthly, January-March 2024, each with a
 *       DEFAULT partition;</li>
 *   <li>{@code claims_production}: RANGE yearly by {@code service_from_date} (date), 2026-2028, primary key
 *       {@code (id, service_from_date)};</li>
 *   <li>{@code claim_line_items}: RANGE monthly by {@code service_date}, April-September 2024, named
 *       {@code claim_line_items_yYYYYmMM}, with a foreign key to {@code claims_production};</li>
 *   <li>{@code chat_sessions}: HASH by {@code user_id} (uuid), modulus 4;</li>
 *   <li>{@code users}, {@code orders} and {@code order_items}: plain tables, {@code orders} referenced by a foreign key.</li>
 * </ul>
 */
public final class SeedSchema {

    private SeedSchema() {
    }

    /** Every statement, in order, to create the seed tables in an empty database. */
    public static List<String> statements() {
        return List.of(
                """
                CREATE TABLE users (
                    id uuid PRIMARY KEY,
                    email text NOT NULL UNIQUE
                )""",
                """
                CREATE TABLE orders (
                    id bigint PRIMARY KEY,
                    user_id uuid NOT NULL REFERENCES users (id),
                    created_at timestamp NOT NULL
                )""",
                """
                CREATE TABLE order_items (
                    id bigint PRIMARY KEY,
                    order_id bigint NOT NULL CONSTRAINT order_items_order_fk REFERENCES orders (id),
                    sku text NOT NULL
                )""",

                """
                CREATE TABLE content_items_all (
                    id bigint NOT NULL,
                    source_type text NOT NULL,
                    title text NOT NULL,
                    created_at timestamp NOT NULL,
                    updated_at timestamp NOT NULL,
                    PRIMARY KEY (id, source_type)
                ) PARTITION BY LIST (source_type)""",
                "CREATE TABLE content_items PARTITION OF content_items_all FOR VALUES IN ('items')",
                "CREATE TABLE content_items_auto PARTITION OF content_items_all FOR VALUES IN ('auto')",

                "CREATE TYPE messagerole AS ENUM ('user', 'assistant', 'system')",
                """
                CREATE TABLE chat_messages (
                    user_id uuid NOT NULL,
                    task_id uuid,
                    session_id uuid NOT NULL,
                    message_id character varying(36),
                    role messagerole NOT NULL,
                    content text NOT NULL,
                    tokens_used integer,
                    model_name character varying(100),
                    id uuid NOT NULL,
                    created_at timestamp without time zone NOT NULL,
                    updated_at timestamp without time zone NOT NULL,
                    deleted_at timestamp without time zone,
                    PRIMARY KEY (id, created_at),
                    CONSTRAINT chat_messages_message_id_key UNIQUE (message_id, created_at)
                ) PARTITION BY RANGE (created_at)""",
                "CREATE TABLE chat_messages_2024_q1 PARTITION OF chat_messages FOR VALUES FROM ('2024-01-01') TO ('2024-04-01')",
                "CREATE TABLE chat_messages_2024_q2 PARTITION OF chat_messages FOR VALUES FROM ('2024-04-01') TO ('2024-07-01')",
                "CREATE TABLE chat_messages_2024_q3 PARTITION OF chat_messages FOR VALUES FROM ('2024-07-01') TO ('2024-10-01')",
                "CREATE TABLE chat_messages_2024_q4 PARTITION OF chat_messages FOR VALUES FROM ('2024-10-01') TO ('2025-01-01')",

                """
                CREATE TABLE event_impressions (
                    id bigint NOT NULL,
                    event_id bigint NOT NULL,
                    created_at timestamptz NOT NULL,
                    PRIMARY KEY (id, created_at)
                ) PARTITION BY RANGE (created_at)""",
                "CREATE TABLE event_impressions_2025_01 PARTITION OF event_impressions FOR VALUES FROM ('2025-01-01 00:00:00+00') TO ('2025-02-01 00:00:00+00')",
                "CREATE TABLE event_impressions_2025_02 PARTITION OF event_impressions FOR VALUES FROM ('2025-02-01 00:00:00+00') TO ('2025-03-01 00:00:00+00')",
                "CREATE TABLE event_impressions_2025_03 PARTITION OF event_impressions FOR VALUES FROM ('2025-03-01 00:00:00+00') TO ('2025-04-01 00:00:00+00')",

                """
                CREATE TABLE generated_images (
                    id uuid NOT NULL,
                    user_id uuid,
                    generation_type text NOT NULL,
                    generation_status text NOT NULL,
                    expires_at timestamp,
                    created_at timestamp NOT NULL,
                    PRIMARY KEY (id, created_at)
                ) PARTITION BY RANGE (created_at)""",
                "CREATE TABLE generated_images_2024_01 PARTITION OF generated_images FOR VALUES FROM ('2024-01-01') TO ('2024-02-01')",
                "CREATE TABLE generated_images_2024_02 PARTITION OF generated_images FOR VALUES FROM ('2024-02-01') TO ('2024-03-01')",
                "CREATE TABLE generated_images_2024_03 PARTITION OF generated_images FOR VALUES FROM ('2024-03-01') TO ('2024-04-01')",
                "CREATE TABLE generated_images_default PARTITION OF generated_images DEFAULT",

                """
                CREATE TABLE credit_transactions (
                    id bigint NOT NULL,
                    user_id uuid NOT NULL,
                    operation_type text NOT NULL,
                    amount numeric(12, 2) NOT NULL,
                    created_at timestamp NOT NULL,
                    PRIMARY KEY (id, created_at)
                ) PARTITION BY RANGE (created_at)""",
                "CREATE TABLE credit_transactions_2024_01 PARTITION OF credit_transactions FOR VALUES FROM ('2024-01-01') TO ('2024-02-01')",
                "CREATE TABLE credit_transactions_2024_02 PARTITION OF credit_transactions FOR VALUES FROM ('2024-02-01') TO ('2024-03-01')",
                "CREATE TABLE credit_transactions_default PARTITION OF credit_transactions DEFAULT",

                """
                CREATE TABLE claims_production (
                    id bigint NOT NULL,
                    service_from_date date NOT NULL,
                    patient_id bigint NOT NULL,
                    total_amount numeric(14, 2),
                    PRIMARY KEY (id, service_from_date)
                ) PARTITION BY RANGE (service_from_date)""",
                "CREATE TABLE claims_production_y2026 PARTITION OF claims_production FOR VALUES FROM ('2026-01-01') TO ('2027-01-01')",
                "CREATE TABLE claims_production_y2027 PARTITION OF claims_production FOR VALUES FROM ('2027-01-01') TO ('2028-01-01')",
                "CREATE TABLE claims_production_y2028 PARTITION OF claims_production FOR VALUES FROM ('2028-01-01') TO ('2029-01-01')",

                """
                CREATE TABLE claim_line_items (
                    id bigint NOT NULL,
                    service_date date NOT NULL,
                    claim_id bigint NOT NULL,
                    claim_service_from_date date NOT NULL,
                    procedure_code text NOT NULL,
                    amount numeric(12, 2) NOT NULL,
                    PRIMARY KEY (id, service_date),
                    CONSTRAINT claim_line_items_claim_fk FOREIGN KEY (claim_id, claim_service_from_date)
                        REFERENCES claims_production (id, service_from_date)
                ) PARTITION BY RANGE (service_date)""",
                "CREATE TABLE claim_line_items_y2024m04 PARTITION OF claim_line_items FOR VALUES FROM ('2024-04-01') TO ('2024-05-01')",
                "CREATE TABLE claim_line_items_y2024m05 PARTITION OF claim_line_items FOR VALUES FROM ('2024-05-01') TO ('2024-06-01')",
                "CREATE TABLE claim_line_items_y2024m06 PARTITION OF claim_line_items FOR VALUES FROM ('2024-06-01') TO ('2024-07-01')",
                "CREATE TABLE claim_line_items_y2024m07 PARTITION OF claim_line_items FOR VALUES FROM ('2024-07-01') TO ('2024-08-01')",
                "CREATE TABLE claim_line_items_y2024m08 PARTITION OF claim_line_items FOR VALUES FROM ('2024-08-01') TO ('2024-09-01')",
                "CREATE TABLE claim_line_items_y2024m09 PARTITION OF claim_line_items FOR VALUES FROM ('2024-09-01') TO ('2024-10-01')",

                """
                CREATE TABLE chat_sessions (
                    id bigint NOT NULL,
                    user_id uuid NOT NULL,
                    started_at timestamptz NOT NULL,
                    PRIMARY KEY (id, user_id)
                ) PARTITION BY HASH (user_id)""",
                "CREATE TABLE chat_sessions_h0 PARTITION OF chat_sessions FOR VALUES WITH (MODULUS 4, REMAINDER 0)",
                "CREATE TABLE chat_sessions_h1 PARTITION OF chat_sessions FOR VALUES WITH (MODULUS 4, REMAINDER 1)",
                "CREATE TABLE chat_sessions_h2 PARTITION OF chat_sessions FOR VALUES WITH (MODULUS 4, REMAINDER 2)",
                "CREATE TABLE chat_sessions_h3 PARTITION OF chat_sessions FOR VALUES WITH (MODULUS 4, REMAINDER 3)");
    }
}
