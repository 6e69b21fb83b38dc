package io.pgpartition.test.hibernate;

import io.pgpartition.test.postgres.TestDatabase;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.SessionFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

/**
 * {@link HibernateTest}, seen from outside: example classes (nested here, so the build does not run them on their own)
 * are run through the JUnit launcher, and what they leave behind is checked.
 */
class SessionFactoryScopeTest {

    static final List<SessionFactory> FACTORIES = Collections.synchronizedList(new ArrayList<>());
    static final Set<SessionFactoryScope> SCOPES = Collections.newSetFromMap(Collections.synchronizedMap(new IdentityHashMap<>()));

    @Test
    void buildsOnFirstUseAppliesTheSettingsSharesTheScopeAndClosesEveryFactoryAfterTheClass() {
        FACTORIES.clear();
        SCOPES.clear();
        TestExecutionSummary summary = run(Example.class);

        assertThat(summary.getFailures()).as("the example's own assertions hold")
                .extracting(failure -> failure.getException().toString()).isEmpty();
        assertThat(summary.getTestsSucceededCount()).as("its three tests ran").isEqualTo(3);
        assertThat(SCOPES).as("the class and its nested class share one scope").hasSize(1);
        assertThat(FACTORIES).as("the declared factory and one built by a test").hasSize(2)
                .allSatisfy(factory -> assertThat(factory.isOpen()).as("closed after the class").isFalse());
    }

    @Test
    void theExtensionWithoutTheAnnotationSaysWhatIsMissing() {
        TestExecutionSummary summary = run(Unannotated.class);

        assertThat(summary.getFailures()).as("the class fails before its test").singleElement()
                .satisfies(failure -> assertThat(failure.getException()).isInstanceOf(IllegalStateException.class)
                        .hasMessage(Unannotated.class.getName() + " uses the SessionFactoryExtension without @HibernateTest: "
                                + "annotate the class with @HibernateTest"));
    }

    private static TestExecutionSummary run(Class<?> testClass) {
        SummaryGeneratingListener listener = new SummaryGeneratingListener();
        LauncherFactory.create().execute(LauncherDiscoveryRequestBuilder.request().selectors(selectClass(testClass)).build(), listener);
        return listener.getSummary();
    }

    @HibernateTest(entities = Example.Note.class, settings = @Setting(name = "hibernate.jdbc.batch_size", value = "7"))
    static class Example {

        @Entity(name = "Note")
        @Table(name = "notes")
        static class Note {
            @Id Long id;
            String text;
        }

        @BeforeAll
        static void tables(TestDatabase db, SessionFactoryScope scope) {
            db.execute("CREATE TABLE notes (id bigint PRIMARY KEY, text text)");
            assertThat(scope.database().name()).as("the scope's database is the class's").isEqualTo(db.name());
        }

        @Test
        void theDeclaredFactoryMapsTheEntitiesWithTheSettings(SessionFactoryScope scope) {
            SCOPES.add(scope);
            scope.inTransaction(session -> {
                Note note = new Note();
                note.id = 1L;
                note.text = "kept";
                session.persist(note);
            });
            assertThat(scope.<String>fromTransaction(session -> session.find(Note.class, 1L).text)).as("read back").isEqualTo("kept");
            assertThat(scope.sessionFactory()).as("built once").isSameAs(scope.sessionFactory());
            assertThat(scope.sessionFactory().getProperties()).as("the declared setting")
                    .containsEntry("hibernate.jdbc.batch_size", "7");
            FACTORIES.add(scope.sessionFactory());
        }

        @Test
        void buildMakesAnotherFactoryWithTheSettingsOverridden(SessionFactoryScope scope) {
            SCOPES.add(scope);
            SessionFactory other = scope.build(Map.of("hibernate.jdbc.batch_size", "3"), Note.class);
            FACTORIES.add(other);
            assertThat(other).as("not the declared factory").isNotSameAs(scope.sessionFactory());
            assertThat(other.getProperties()).as("the override wins").containsEntry("hibernate.jdbc.batch_size", "3");
            assertThat(other.<String>fromSession(session -> session.createNativeQuery("SELECT current_database()", String.class)
                    .getSingleResult())).as("on the class's database").isEqualTo(scope.database().name());
        }

        @Nested
        class Inner {
            @Test
            void sharesTheEnclosingScope(SessionFactoryScope scope) {
                SCOPES.add(scope);
            }
        }
    }

    @ExtendWith(SessionFactoryExtension.class)
    static class Unannotated {
        @Test
        void neverRuns() {
        }
    }
}
