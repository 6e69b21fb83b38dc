package io.pgpartition.hibernate;

import io.pgpartition.NoPartitionForKeyException;
import io.pgpartition.PartitionKeyMissingException;
import io.pgpartition.test.hibernate.HibernateTest;
import io.pgpartition.test.hibernate.SessionFactoryScope;
import io.pgpartition.test.seeds.SeedEntities;
import io.pgpartition.test.postgres.TestDatabase;
import io.pgpartition.test.seeds.SeedSchema;
import org.hibernate.SessionFactory;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A key inside an {@code @IdClass} identifier: a null or uncovered key is refused before any SQL, like any key. */
@HibernateTest
class IdClassKeyTest {

    @Test
    void aNullOrUncoveredKeyInAnIdClassIsRefusedBeforeAnySql(TestDatabase db, SessionFactoryScope scope) {
        db.execute(SeedSchema.statements().toArray(String[]::new));
        try (SessionFactory factory = scope.build(java.util.Map.of("hibernate.session_factory.statement_inspector",
                RecordingInspector.class.getName(), "pgpartition.validation", "warn"), SeedEntities.ALL.toArray(Class<?>[]::new))) {
            RecordingInspector.SENT.clear();
            assertThatThrownBy(() -> factory.inTransaction(session -> {
                SeedEntities.ClaimsProduction claim = new SeedEntities.ClaimsProduction();
                claim.id = 7L;
                claim.patientId = 3L;
                session.persist(claim);
            })).as("a null key").isInstanceOf(PartitionKeyMissingException.class).hasNoCause()
                    .hasMessage("Cannot insert ClaimsProduction: partition key attribute 'serviceFromDate' (column service_from_date of "
                            + "table claims_production, partitioned by RANGE) is null. Set ClaimsProduction.serviceFromDate before "
                            + "persisting: PostgreSQL needs it to choose the partition.");
            assertThatThrownBy(() -> factory.inTransaction(session -> {
                SeedEntities.ClaimsProduction claim = new SeedEntities.ClaimsProduction();
                claim.id = 8L;
                claim.serviceFromDate = LocalDate.of(2035, 3, 1);
                claim.patientId = 3L;
                session.persist(claim);
            })).as("a key no partition takes").isInstanceOf(NoPartitionForKeyException.class).hasNoCause()
                    .hasMessage("No partition of table claims_production accepts partition key value '2035-03-01'; nearest partitions: "
                            + "claims_production_y2028. Create a partition for this value or run partition maintenance.");
            assertThat(RecordingInspector.SENT).as("no INSERT was sent").noneMatch(sql -> sql.startsWith("insert"));
        }
    }

    /** Records the SQL Hibernate sends. */
    public static final class RecordingInspector implements org.hibernate.resource.jdbc.spi.StatementInspector {
        static final List<String> SENT = java.util.Collections.synchronizedList(new ArrayList<>());

        @Override
        public String inspect(String sql) {
            SENT.add(sql);
            return sql;
        }
    }
}
