package io.pgpartition.hibernate;

import io.pgpartition.PartitionKeyChangedException;
import io.pgpartition.annotations.PartitionedBy;
import io.pgpartition.test.hibernate.HibernateTest;
import io.pgpartition.test.hibernate.SessionFactoryScope;
import io.pgpartition.test.postgres.TestDatabase;
import jakarta.persistence.Column;
import jakarta.persistence.DiscriminatorValue;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Inheritance;
import jakarta.persistence.InheritanceType;
import jakarta.persistence.Table;
import jakarta.persistence.Temporal;
import jakarta.persistence.TemporalType;
import org.hibernate.SessionFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Timestamp;
import java.time.LocalDate;
import java.util.Date;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Never drop a key change silently: subclasses stored in a partitioned root's table and keys of mutable types changed
 * in place are refused like any other key change.
 */
@HibernateTest(entities = {KeyChangesNeverDroppedTest.Animal.class, KeyChangesNeverDroppedTest.Dog.class,
        KeyChangesNeverDroppedTest.Reading.class})
class KeyChangesNeverDroppedTest {

    @Entity(name = "Animal")
    @Table(name = "kc_animals")
    @Inheritance(strategy = InheritanceType.SINGLE_TABLE)
    @DiscriminatorValue("animal")
    @PartitionedBy(range = "bornOn")
    static class Animal {
        @Id Long id;
        @Column(name = "born_on", nullable = false) LocalDate bornOn;
        String name;
    }

    @Entity(name = "Dog")
    @DiscriminatorValue("dog")
    static class Dog extends Animal {
        String breed;
    }

    @Entity(name = "Reading")
    @Table(name = "kc_readings")
    @PartitionedBy(range = "takenAt")
    static class Reading {
        @Id Long id;
        @Temporal(TemporalType.TIMESTAMP) @Column(name = "taken_at", nullable = false) Date takenAt;
        double value;
    }

    @Entity(name = "Vehicle")
    @Table(name = "kc_vehicles")
    @Inheritance(strategy = InheritanceType.JOINED)
    @PartitionedBy(range = "builtOn")
    static class Vehicle {
        @Id Long id;
        @Column(name = "built_on", nullable = false) LocalDate builtOn;
    }

    @Entity(name = "Car")
    @Table(name = "kc_cars")
    static class Car extends Vehicle {
        int seats;
    }

    @Entity(name = "Kennel")
    @Table(name = "kc_kennels")
    static class Kennel {
        @Id Long id;
        @jakarta.persistence.OneToMany @jakarta.persistence.JoinColumn(name = "kennel_id")
        java.util.List<Animal> animals = new java.util.ArrayList<>();
    }

    @Entity(name = "Stamp")
    @Table(name = "kc_stamps")
    @PartitionedBy(range = "at")
    static class Stamp {
        @Id Long id;
        @Column(name = "at", nullable = false) java.time.LocalDateTime at;
    }

    @Entity(name = "Tag")
    @Table(name = "kc_tags")
    @PartitionedBy(list = {"kind"})
    static class Tag {
        @Id Long id;
        @Column(nullable = false) String kind;
    }

    @Entity(name = "Ledger")
    @Table(name = "kc_ledgers")
    @PartitionedBy(range = "bookedAt")
    static class Ledger {
        @Id Long id;
        @Column(name = "booked_at", nullable = false) java.util.Calendar bookedAt;
    }

    /** A key value the application may change in place. */
    static final class Code {
        String text;

        Code(String text) {
            this.text = text;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Code code && code.text.equals(text);
        }

        @Override
        public int hashCode() {
            return text.hashCode();
        }
    }

    @jakarta.persistence.Converter
    static final class CodeConverter implements jakarta.persistence.AttributeConverter<Code, String> {
        @Override
        public String convertToDatabaseColumn(Code code) {
            return code == null ? null : code.text;
        }

        @Override
        public Code convertToEntityAttribute(String text) {
            return text == null ? null : new Code(text);
        }
    }

    @Entity(name = "Coded")
    @Table(name = "kc_coded")
    @PartitionedBy(list = {"code"})
    static class Coded {
        @Id Long id;
        @jakarta.persistence.Convert(converter = CodeConverter.class) @Column(nullable = false) Code code;
    }

    private static SessionFactory factory;

    @BeforeAll
    static void boot(TestDatabase db, SessionFactoryScope scope) {
        db.execute("CREATE TABLE kc_animals (id bigint NOT NULL, dtype varchar(31) NOT NULL, born_on date NOT NULL, name text, "
                        + "breed text, PRIMARY KEY (id, born_on)) PARTITION BY RANGE (born_on)",
                "CREATE TABLE kc_animals_2024 PARTITION OF kc_animals FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')",
                "CREATE TABLE kc_animals_later PARTITION OF kc_animals FOR VALUES FROM ('2025-01-01') TO (MAXVALUE)",
                "CREATE TABLE kc_readings (id bigint NOT NULL, taken_at timestamp NOT NULL, value float8 NOT NULL, "
                        + "PRIMARY KEY (id, taken_at)) PARTITION BY RANGE (taken_at)",
                "CREATE TABLE kc_readings_2024 PARTITION OF kc_readings FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')",
                "CREATE TABLE kc_readings_later PARTITION OF kc_readings FOR VALUES FROM ('2025-01-01') TO (MAXVALUE)");
        factory = scope.sessionFactory();
    }


    @BeforeEach
    void empty(TestDatabase db) {
        db.execute("DELETE FROM kc_animals", "DELETE FROM kc_readings");
    }

    private static Dog dog() {
        Dog dog = new Dog();
        dog.id = 1L;
        dog.bornOn = LocalDate.of(2024, 3, 1);
        dog.name = "Rex";
        factory.inTransaction(session -> session.persist(dog));
        return dog;
    }

    @Test
    void aSubclassStoredInThePartitionedTableIsGuardedLikeItsRoot() {
        dog();
        assertThatThrownBy(() -> factory.inTransaction(session -> session.find(Dog.class, 1L).bornOn = LocalDate.of(2024, 9, 1)))
                .as("a managed Dog's key change")
                .isInstanceOf(PartitionKeyChangedException.class)
                .hasMessage("Cannot update Dog with id 1: partition key attribute 'bornOn' would change from 2024-03-01 to "
                        + "2024-09-01. The partition key of a stored row never changes: delete the row and insert a new one instead.");
        Dog detached = factory.fromTransaction(session -> session.find(Dog.class, 1L));
        detached.bornOn = LocalDate.of(2024, 10, 1);
        assertThatThrownBy(() -> factory.inTransaction(session -> session.merge(detached)))
                .as("a detached Dog merged with another key")
                .isInstanceOf(PartitionKeyChangedException.class)
                .hasMessageContaining("would change from 2024-03-01 to 2024-10-01");
        assertThat(factory.<LocalDate>fromTransaction(session -> session.find(Dog.class, 1L).bornOn)).as("the stored key")
                .isEqualTo(LocalDate.of(2024, 3, 1));
    }

    @Test
    void aMutableKeyChangedInPlaceIsRefused() {
        Reading reading = new Reading();
        reading.id = 7L;
        reading.takenAt = Timestamp.valueOf("2024-05-10 08:00:00");
        factory.inTransaction(session -> session.persist(reading));
        assertThatThrownBy(() -> factory.inTransaction(session -> session.find(Reading.class, 7L).takenAt
                .setTime(Timestamp.valueOf("2024-06-10 08:00:00").getTime())))
                .as("a loaded Date changed with setTime")
                .isInstanceOf(PartitionKeyChangedException.class)
                .hasMessage("Cannot update Reading with id 7: partition key attribute 'takenAt' would change from "
                        + "2024-05-10 08:00:00.0 to 2024-06-10 08:00:00.0. The partition key of a stored row never changes: "
                        + "delete the row and insert a new one instead.");
        assertThatThrownBy(() -> factory.inTransaction(session -> {
            Reading fresh = new Reading();
            fresh.id = 8L;
            fresh.takenAt = Timestamp.valueOf("2024-05-11 08:00:00");
            session.persist(fresh);
            session.flush();
            fresh.takenAt.setTime(Timestamp.valueOf("2024-07-11 08:00:00").getTime());
        })).as("a Date changed in place after the insert, in the same session")
                .isInstanceOf(PartitionKeyChangedException.class)
                .hasMessageContaining("would change from 2024-05-11 08:00:00.0 to 2024-07-11 08:00:00.0");
        assertThat(factory.<Date>fromTransaction(session -> session.find(Reading.class, 7L).takenAt)).as("the stored key")
                .isEqualTo(Timestamp.valueOf("2024-05-10 08:00:00"));
    }

    @Test
    void aJoinedSubclassIsRefusedAtBootstrapWhateverTheValidationMode(TestDatabase db, SessionFactoryScope scope) {
        db.execute("CREATE TABLE kc_vehicles (id bigint NOT NULL, built_on date NOT NULL, PRIMARY KEY (id, built_on)) "
                        + "PARTITION BY RANGE (built_on)",
                "CREATE TABLE kc_vehicles_all PARTITION OF kc_vehicles FOR VALUES FROM (MINVALUE) TO (MAXVALUE)",
                "CREATE TABLE kc_cars (id bigint PRIMARY KEY, seats int NOT NULL)");
        for (String mode : new String[]{"fail", "warn", "none"}) {
            assertThatThrownBy(() -> scope.build(java.util.Map.of(PartitioningSettings.VALIDATION, mode),
                    Vehicle.class, Car.class).close())
                    .as("under pgpartition.validation=%s", mode)
                    .isInstanceOf(io.pgpartition.PartitionMappingException.class)
                    .hasMessage("Partition mapping validation found 1 problem:\n"
                            + "  [SUBCLASS_TABLE_WITHOUT_KEY] Car -> kc_cars: JOINED subclass of partitioned entity Vehicle "
                            + "keeps its attributes in table kc_cars, which has no partition key for its updates and deletes "
                            + "to name; found @Inheritance(strategy = JOINED), expected SINGLE_TABLE. Fix: "
                            + "@Inheritance(strategy = InheritanceType.SINGLE_TABLE) on Vehicle, so that every subclass is stored "
                            + "in kc_vehicles");
        }
    }

    @Test
    void aUnidirectionalOneToManyIntoThePartitionedTableIsReported(TestDatabase db, SessionFactoryScope scope) {
        db.execute("CREATE TABLE kc_kennels (id bigint PRIMARY KEY)", "ALTER TABLE kc_animals ADD COLUMN kennel_id bigint");
        assertThatThrownBy(() -> scope.build(Animal.class, Dog.class, Kennel.class).close())
                .isInstanceOf(io.pgpartition.PartitionMappingException.class)
                .hasMessage("Partition mapping validation found 1 problem:\n"
                        + "  [COLLECTION_UPDATE_WITHOUT_KEY] Kennel -> kc_animals: collection Kennel.animals (unidirectional "
                        + "@OneToMany with join column kennel_id) sets kennel_id on rows of kc_animals by their id alone, so every "
                        + "such update scans every partition; found the collection owning the join column, expected Animal to own "
                        + "it. Fix: map the association on Animal as @ManyToOne @JoinColumn(name = \"kennel_id\") and declare "
                        + "Kennel.animals as @OneToMany(mappedBy = ...)");
        try (SessionFactory warned = scope.build(java.util.Map.of(PartitioningSettings.VALIDATION, "warn"),
                Animal.class, Dog.class, Kennel.class)) {
            assertThat(warned.isOpen()).as("under warn the problem is logged and the factory starts").isTrue();
        }
    }

    /**
     * Key snapshots are taken, after every insert and load, only where a key needs them; everywhere else Hibernate
     * creates no post-insert or post-load event for pgpartition. The choice, made from the boot model, agrees with the
     * types Hibernate runs with.
     */
    @Test
    void keySnapshotsAndTheEnhancedMarkerListenOnlyWhereNeeded(SessionFactoryScope scope) {
        java.util.Map<String, String> bootOnly = java.util.Map.of("pgpartition.validation", "none");
        java.util.List<String> found = new java.util.ArrayList<>();
        for (Class<?> entity : java.util.List.of(Stamp.class, Tag.class, Animal.class, Ledger.class, Reading.class, Coded.class)) {
            try (SessionFactory built = scope.build(bootOnly, entity)) {
                org.hibernate.engine.spi.SessionFactoryImplementor implementor =
                        built.unwrap(org.hibernate.engine.spi.SessionFactoryImplementor.class);
                org.hibernate.persister.entity.EntityPersister persister =
                        implementor.getMappingMetamodel().getEntityDescriptor(entity);
                String key = entity.getAnnotation(PartitionedBy.class).range().length > 0
                        ? entity.getAnnotation(PartitionedBy.class).range()[0] : entity.getAnnotation(PartitionedBy.class).list()[0];
                boolean mutable = persister.getPropertyTypes()[java.util.Arrays.asList(persister.getPropertyNames()).indexOf(key)]
                        .isMutable();
                found.add(entity.getSimpleName() + ": key of a mutable type " + mutable
                        + ", after insert " + pgpartitionListeners(implementor, org.hibernate.event.spi.EventType.POST_INSERT)
                        + ", after load " + pgpartitionListeners(implementor, org.hibernate.event.spi.EventType.POST_LOAD));
            }
        }
        assertThat(found).as("the listeners pgpartition registers after inserts and loads, unit by unit").containsExactly(
                "Stamp: key of a mutable type false, after insert [], after load []",
                "Tag: key of a mutable type false, after insert [], after load []",
                "Animal: key of a mutable type false, after insert [], after load []",
                "Ledger: key of a mutable type true, after insert [KeySnapshot$Taker], after load [KeySnapshot$Taker]",
                "Reading: key of a mutable type true, after insert [KeySnapshot$Taker], after load [KeySnapshot$Taker]",
                "Coded: key of a mutable type true, after insert [KeySnapshot$Taker], after load [KeySnapshot$Taker]");
    }

    private static java.util.List<String> pgpartitionListeners(org.hibernate.engine.spi.SessionFactoryImplementor factory,
                                                               org.hibernate.event.spi.EventType<?> type) {
        java.util.List<String> names = new java.util.ArrayList<>();
        for (Object listener : factory.getEventListenerRegistry().getEventListenerGroup(type).listeners()) {
            if (listener.getClass().getName().startsWith("io.pgpartition")) {
                names.add(listener.getClass().getName().substring(listener.getClass().getPackageName().length() + 1));
            }
        }
        return names;
    }
}
