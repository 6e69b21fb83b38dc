package io.pgpartition.hibernate;

import io.pgpartition.PartitionKeyChangedException;
import io.pgpartition.hibernate.enhance.PartitionKeyGuardPlugin;
import io.pgpartition.hibernate.enhance.PartitionKeyGuarded;
import io.pgpartition.test.postgres.PostgresTest;
import io.pgpartition.test.postgres.TestDatabase;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.pool.TypePool;
import org.hibernate.SessionFactory;
import org.hibernate.boot.registry.BootstrapServiceRegistryBuilder;
import org.hibernate.bytecode.enhance.spi.DefaultEnhancementContext;
import org.hibernate.bytecode.internal.bytebuddy.BytecodeProviderImpl;
import org.hibernate.cfg.Configuration;
import org.hibernate.engine.spi.ManagedEntity;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.time.LocalDate;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The build-time guard, applied as the byte-buddy-maven-plugin applies it: alone, and after Hibernate's own bytecode
 * enhancement. A persistent instance refuses a new key value at the assignment itself.
 */
@PostgresTest
class BuildTimeGuardTest {

    @BeforeAll
    static void createTable(TestDatabase db) {
        db.execute("CREATE TABLE bb_claims (id bigint NOT NULL, service_date date NOT NULL, PRIMARY KEY (id, service_date)) "
                + "PARTITION BY RANGE (service_date)", "CREATE TABLE bb_claims_all PARTITION OF bb_claims FOR VALUES FROM (MINVALUE) TO (MAXVALUE)");
    }

    /** The entity's class file, enhanced by Hibernate first when asked, then by pgpartition's plugin. */
    private static byte[] enhance(boolean hibernateFirst) throws Exception {
        String name = GuardedClaim.class.getName();
        ClassFileLocator original = ClassFileLocator.ForClassLoader.of(GuardedClaim.class.getClassLoader());
        byte[] bytes = original.locate(name).resolve();
        if (hibernateFirst) {
            bytes = new BytecodeProviderImpl().getEnhancer(new DefaultEnhancementContext()).enhance(name, bytes);
        }
        ClassFileLocator locator = new ClassFileLocator.Compound(ClassFileLocator.Simple.of(name, bytes), original);
        TypeDescription type = TypePool.Default.of(locator).describe(name).resolve();
        try (PartitionKeyGuardPlugin plugin = new PartitionKeyGuardPlugin()) {
            assertThat(plugin.matches(type)).as("the plugin picks the @PartitionedBy class").isTrue();
            return plugin.apply(new ByteBuddy().redefine(type, locator), type, locator).make().getBytes();
        }
    }

    /** Loads one class from the given bytes, everything else from the test's class loader. */
    private static final class Isolated extends ClassLoader {
        private final String name;
        private final byte[] bytes;

        Isolated(String name, byte[] bytes) {
            super(BuildTimeGuardTest.class.getClassLoader());
            this.name = name;
            this.bytes = bytes;
        }

        @Override
        protected Class<?> loadClass(String className, boolean resolve) throws ClassNotFoundException {
            synchronized (getClassLoadingLock(className)) {
                if (className.equals(name)) {
                    Class<?> loaded = findLoadedClass(className);
                    return loaded != null ? loaded : defineClass(className, bytes, 0, bytes.length);
                }
                return super.loadClass(className, resolve);
            }
        }
    }

    private static void assertGuards(TestDatabase db, boolean hibernateFirst) throws Exception {
        Class<?> type = new Isolated(GuardedClaim.class.getName(), enhance(hibernateFirst)).loadClass(GuardedClaim.class.getName());
        assertThat(PartitionKeyGuarded.class.isAssignableFrom(type)).as("guarded").isTrue();
        assertThat(ManagedEntity.class.isAssignableFrom(type)).as("Hibernate-enhanced").isEqualTo(hibernateFirst);
        Method setServiceDate = type.getMethod("setServiceDate", LocalDate.class);
        Method postpone = type.getMethod("postpone");
        long id = hibernateFirst ? 2 : 1;

        Configuration configuration = new Configuration(new BootstrapServiceRegistryBuilder().applyClassLoader(type.getClassLoader()).build());
        configuration.getProperties().put("hibernate.connection.datasource", db.dataSource());
        configuration.addAnnotatedClass(type);
        try (SessionFactory factory = configuration.buildSessionFactory()) {
            Object claim = type.getConstructor().newInstance();
            type.getMethod("setId", Long.class).invoke(claim, id);
            setServiceDate.invoke(claim, LocalDate.of(2024, 4, 10));
            setServiceDate.invoke(claim, LocalDate.of(2024, 4, 11));
            factory.inTransaction(session -> session.persist(claim));

            assertThatThrownBy(() -> setServiceDate.invoke(claim, LocalDate.of(2024, 5, 1)))
                    .as("once inserted, the instance refuses another key in the setter")
                    .isInstanceOf(InvocationTargetException.class)
                    .cause().isInstanceOf(PartitionKeyChangedException.class)
                    .hasMessage("Cannot update GuardedClaim with id (persistent instance): partition key attribute 'serviceDate' "
                            + "would change from 2024-04-11 to 2024-05-01. The partition key of a stored row never changes: delete "
                            + "the row and insert a new one instead.")
                    .satisfies(e -> assertThat(assigningFrame(e))
                            .as("the stack trace points at the assignment in the setter")
                            .isEqualTo("setServiceDate:" + lineOf("this.serviceDate = serviceDate;")));
            setServiceDate.invoke(claim, LocalDate.of(2024, 4, 11));

            factory.inTransaction(session -> {
                Object loaded = session.find(type, id);
                assertThatThrownBy(() -> postpone.invoke(loaded))
                        .as("a loaded instance refuses a key changed inside a business method")
                        .isInstanceOf(InvocationTargetException.class)
                        .cause().isInstanceOf(PartitionKeyChangedException.class)
                        .satisfies(e -> assertThat(assigningFrame(e))
                                .as("the stack trace points at the assignment in the business method")
                                .isEqualTo("postpone:" + lineOf("serviceDate = serviceDate.plusDays(1);")));
            });
        }
    }

    /** The entity's first frame outside generated methods, as {@code method:line}. */
    private static String assigningFrame(Throwable e) {
        StackTraceElement frame = Arrays.stream(e.getStackTrace())
                .filter(f -> f.getClassName().equals(GuardedClaim.class.getName()) && !f.getMethodName().startsWith("$$_"))
                .findFirst().orElseThrow();
        return frame.getMethodName() + ":" + frame.getLineNumber();
    }

    /** The line of GuardedClaim.java holding the statement. */
    private static int lineOf(String statement) throws java.io.IOException {
        java.util.List<String> lines = java.nio.file.Files.readAllLines(
                java.nio.file.Path.of("src/test/java/io/pgpartition/hibernate/GuardedClaim.java"));
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).trim().equals(statement)) {
                return i + 1;
            }
        }
        throw new AssertionError(statement + " not found in GuardedClaim.java");
    }

    @Test
    void guardAlone(TestDatabase db) throws Exception {
        assertGuards(db, false);
    }

    @Test
    void guardAfterHibernatesOwnEnhancement(TestDatabase db) throws Exception {
        assertGuards(db, true);
    }

}
