package io.pgpartition.hibernate;

import io.pgpartition.test.postgres.PostgresTest;
import io.pgpartition.test.postgres.TestDatabase;
import org.hibernate.SessionFactory;
import org.hibernate.cfg.Configuration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Startup validation reads the catalog with the same number of statements for 1 entity as for 50 entities over
 * tables of 1,000 partitions each (counted, not timed; the time is measured in benchmarks/). The entities have a
 * daily policy, so validation reads only today's partition of each table.
 */
@PostgresTest
class ValidationQueryCountTest {

    private static final int ENTITIES = 50;
    private static final int PARTITIONS = 1000;

    @BeforeAll
    static void createTables(TestDatabase db) {
        db.execute(GeneratedEntities.tables(ENTITIES, PARTITIONS));
    }

    @Test
    void fiftyEntitiesOverAThousandPartitionsEachCostWhatOneEntityCosts(TestDatabase db) {
        List<Class<?>> entities = GeneratedEntities.rangeEntities(ENTITIES);
        int one = catalogStatements(db, entities.subList(0, 1), "none");
        int fifty = catalogStatements(db, entities, "none");
        assertThat(one).as("one entity: a focused read, 9 statements (6, the version check, focused partitions, counts)").isEqualTo(9);
        assertThat(fifty).as("50 entities over %d partitions each", PARTITIONS).isEqualTo(one);

        int creating = catalogStatements(db, entities.subList(0, 1), "record");
        int recordingOne = catalogStatements(db, entities.subList(0, 1), "record");
        int recordingFifty = catalogStatements(db, entities, "record");
        assertThat(recordingFifty).as("recording the policies of 50 entities costs what recording one costs").isEqualTo(recordingOne);
        assertThat(recordingOne - one).as("recording: the tables' schemas, the schemas with a policy table (its writes pass no "
                + "guard, which would ask the catalog whether they target a partition)").isEqualTo(2);
        assertThat(creating - recordingOne).as("the first run also asks where it may create the policy table").isEqualTo(1);
    }

    /** Boots with the entities and counts the statements that read pg_catalog. */
    private static int catalogStatements(TestDatabase db, List<Class<?>> entities, String policies) {
        CatalogStatementCounter counter = new CatalogStatementCounter(db.dataSource());
        Configuration configuration = new Configuration();
        configuration.setProperty(PartitioningSettings.POLICIES, policies);
        configuration.getProperties().put("hibernate.connection.datasource", counter.dataSource());
        entities.forEach(configuration::addAnnotatedClass);
        try (SessionFactory factory = configuration.buildSessionFactory()) {
            assertThat(factory.isOpen()).as("the generated entities validate").isTrue();
        }
        return counter.count();
    }
}
