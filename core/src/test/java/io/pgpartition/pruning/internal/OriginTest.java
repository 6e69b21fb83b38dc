package io.pgpartition.pruning.internal;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class OriginTest {

    private static List<Origin.Frame> frames(String... classes) {
        return Arrays.stream(classes).map(name -> new Origin.Frame(name, name + ".run(" + name.substring(name.lastIndexOf('.') + 1)
                + ".java:7)")).toList();
    }

    @Test
    void theInnermostHibernateFrameTellsTheKindAndTheFirstApplicationFrameTheLine() {
        Origin origin = Origin.of(frames("io.pgpartition.pruning.internal.Sentinel", "io.pgpartition.hibernate.internal.jdbc.GuardedConnections",
                "jdk.proxy2.$Proxy12", "org.postgresql.jdbc.PgPreparedStatement", "org.hibernate.sql.exec.internal.JdbcSelectExecutorStandardImpl",
                "org.hibernate.loader.ast.internal.SingleIdLoadPlan", "org.hibernate.proxy.AbstractLazyInitializer",
                "org.hibernate.query.sqm.internal.ConcreteSqmSelectQueryPlan", "com.acme.Visits", "com.acme.Main"));
        assertThat(origin).isEqualTo(new Origin(Origin.Kind.ENTITY_LOAD, "through a lazy association", "com.acme.Visits.run(Visits.java:7)"));
        assertThat(origin.kind().singleRow()).isTrue();
    }

    @Test
    void eachKindFromItsFrame() {
        String[][] cases = {
                {"org.hibernate.loader.ast.internal.SingleUniqueKeyEntityLoaderStandard", "entity load"},
                {"org.hibernate.loader.ast.internal.EntityBatchLoaderArrayParam", "batch entity load"},
                {"org.hibernate.loader.ast.internal.MultiIdEntityLoaderArrayParam", "batch entity load"},
                {"org.hibernate.loader.ast.internal.CollectionLoaderSingleKey", "collection load"},
                {"org.hibernate.persister.entity.mutation.UpdateCoordinatorStandard", "entity update"},
                {"org.hibernate.persister.entity.mutation.DeleteCoordinatorStandard", "entity delete"},
                {"org.hibernate.persister.collection.OneToManyPersister", "collection update"},
                {"org.hibernate.query.sql.internal.NativeQueryImpl", "native query"},
                {"org.hibernate.query.sqm.internal.SqmQueryImpl", "query (JPQL or criteria)"},
                {"org.hibernate.engine.spi.ActionQueue", "statement"}};
        for (String[] c : cases) {
            assertThat(Origin.of(frames(c[0], "com.acme.App")).kind()).as(c[0]).hasToString(c[1]);
        }
        assertThat(Origin.Kind.ENTITY_UPDATE.singleRow()).isTrue();
        assertThat(Origin.Kind.ENTITY_DELETE.singleRow()).isTrue();
        assertThat(Origin.Kind.ENTITY_BATCH_LOAD.singleRow()).isFalse();
        assertThat(Origin.Kind.COLLECTION_LOAD.singleRow()).isFalse();
        assertThat(Origin.Kind.QUERY.singleRow()).isFalse();
        assertThat(Origin.Kind.STATEMENT.singleRow()).isFalse();
    }

    @Test
    void eachWayThroughFromItsFrame() {
        String[][] cases = {
                {"org.hibernate.bytecode.enhance.spi.interceptor.EnhancementAsProxyLazinessInterceptor", "through a lazy association"},
                {"org.hibernate.sql.results.graph.entity.internal.EntitySelectFetchInitializer", "through an eager association"},
                {"org.hibernate.sql.results.graph.entity.internal.BatchEntitySelectFetchInitializer", "through an eager association"},
                {"org.hibernate.sql.results.graph.entity.internal.AbstractBatchEntitySelectFetchInitializer", "through an eager association"},
                {"org.hibernate.sql.results.graph.entity.internal.BatchInitializeEntitySelectFetchInitializer", "through an eager association"},
                {"org.hibernate.sql.results.graph.collection.internal.SelectEagerCollectionInitializer", "through an eager collection"},
                {"org.hibernate.collection.spi.AbstractPersistentCollection", "through a lazy collection"},
                {"org.hibernate.sql.results.graph.entity.internal.EntityInitializerImpl", ""}};
        for (String[] c : cases) {
            assertThat(Origin.of(frames(c[0], "com.acme.App")).through()).as(c[0]).isEqualTo(c[1]);
        }
    }

    @Test
    void frameworksAndGeneratedClassesAreNotTheApplicationsLine() {
        Origin origin = Origin.of(frames("java.lang.Thread", "javax.sql.X", "jdk.internal.Y", "sun.reflect.Z", "com.sun.proxy.$Proxy3",
                "jakarta.persistence.Q", "com.zaxxer.hikari.pool.HikariProxyPreparedStatement", "org.springframework.data.Repo",
                "net.bytebuddy.Gen", "org.apache.Foo", "io.pgpartition.hibernate.PartitionedFinder", "io.pgpartition.test.internal.Watched",
                "com.acme.Repo$$SpringCGLIB$$0", "com.acme.$Proxy77", "com.acme.Service"));
        assertThat(origin.callSite()).isEqualTo("com.acme.Service.run(Service.java:7)");
        assertThat(Origin.of(frames("org.hibernate.Foo")).callSite()).as("no application frame").isEmpty();
        assertThat(Origin.of(List.of(new Origin.Frame("com.acme.X", "com.acme.X.y(Unknown Source)"))).callSite())
                .isEqualTo("com.acme.X.y(Unknown Source)");
        assertThat(Origin.of(frames("io.pgpartition.sample.SampleApplication")).callSite())
                .as("pgpartition's own public classes and the sample are applications").isEqualTo("io.pgpartition.sample.SampleApplication.run(SampleApplication.java:7)");
    }

    @Test
    void aFrameBeyondTheApplicationsLineDecidesNothing() {
        Origin origin = Origin.of(frames("com.acme.Service", "org.hibernate.loader.ast.internal.SingleIdLoadPlan", "org.hibernate.proxy.X"));
        assertThat(origin).isEqualTo(new Origin(Origin.Kind.STATEMENT, "", "com.acme.Service.run(Service.java:7)"));
    }

    @Test
    void framesOfTheRunningThreadPrintAsStackTraces() {
        Origin here = Origin.here();
        assertThat(here.callSite()).as("this test's frames are pgpartition's sentinel's package, skipped; the next is JUnit's, printed "
                + "as a stack trace prints it").matches("org\\.junit\\.[\\w.$]+\\.\\w+\\(\\w+\\.java:\\d+\\)");
        assertThat(here.kind()).isEqualTo(Origin.Kind.STATEMENT);
    }
}
