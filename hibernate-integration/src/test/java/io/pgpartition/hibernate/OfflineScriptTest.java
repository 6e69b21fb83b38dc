package io.pgpartition.hibernate;

import io.pgpartition.annotations.PartitionedBy;
import io.pgpartition.annotations.RangePartitions;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.SessionFactory;
import org.hibernate.cfg.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;

import static org.assertj.core.api.Assertions.assertThat;

/** Writing the DDL script offline (no database at all): the script is written, and the boot succeeds. */
class OfflineScriptTest {

    @Entity(name = "OfflineClaim")
    @Table(name = "offline_claims")
    @PartitionedBy(range = "serviceDate")
    @RangePartitions(interval = "1 month", naming = "{table}_y{yyyy}m{MM}")
    static class OfflineClaim {
        @Id Long id;
        @Column(name = "service_date", nullable = false) LocalDate serviceDate;
    }

    @Test
    void theScriptIsWrittenWithoutADatabase(@TempDir Path dir) throws Exception {
        Path script = dir.resolve("create.sql");
        Configuration configuration = new Configuration();
        configuration.setProperty("hibernate.dialect", "org.hibernate.dialect.PostgreSQLDialect");
        configuration.setProperty("hibernate.boot.allow_jdbc_metadata_access", "false");
        configuration.setProperty("jakarta.persistence.schema-generation.scripts.action", "create");
        configuration.setProperty("jakarta.persistence.schema-generation.scripts.create-target", script.toString());
        configuration.addAnnotatedClass(OfflineClaim.class);
        try (SessionFactory factory = configuration.buildSessionFactory()) {
            assertThat(factory.isOpen()).as("the boot succeeds").isTrue();
        }
        assertThat(Files.readString(script)).as("the script partitions the table and creates its first partitions")
                .startsWith("create table offline_claims (service_date date not null, id bigint not null, primary key (id, service_date)) "
                        + "PARTITION BY RANGE (\"service_date\");\nCREATE TABLE IF NOT EXISTS \"offline_claims_y")
                .contains("PARTITION OF \"offline_claims\" FOR VALUES FROM ('");
    }
}
