package io.pgpartition.hibernate;

import io.pgpartition.annotations.PartitionedBy;
import io.pgpartition.annotations.RangePartitions;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.description.annotation.AnnotationDescription;
import net.bytebuddy.description.modifier.Visibility;
import net.bytebuddy.dynamic.loading.ClassLoadingStrategy;

import java.lang.invoke.MethodHandles;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * Many distinct range-partitioned entity classes, {@code Wide0} ... mapped to {@code wide_0} ..., each with an id
 * and a {@code day} key and a daily {@code @RangePartitions} policy: for tests and benchmarks that need more
 * entities than anyone would write by hand.
 */
public final class GeneratedEntities {

    private static final List<Class<?>> GENERATED = new ArrayList<>();

    private GeneratedEntities() {
    }

    public static synchronized List<Class<?>> rangeEntities(int count) {
        while (GENERATED.size() < count) {
            int i = GENERATED.size();
            GENERATED.add(new ByteBuddy()
                    .subclass(Object.class)
                    .name(GeneratedEntities.class.getPackageName() + ".Wide" + i)
                    .annotateType(
                            AnnotationDescription.Builder.ofType(Entity.class).define("name", "Wide" + i).build(),
                            AnnotationDescription.Builder.ofType(Table.class).define("name", "wide_" + i).build(),
                            AnnotationDescription.Builder.ofType(PartitionedBy.class).defineArray("range", "day").build(),
                            AnnotationDescription.Builder.ofType(RangePartitions.class).define("interval", "1 day").build())
                    .defineField("id", Long.class, Visibility.PRIVATE)
                    .annotateField(AnnotationDescription.Builder.ofType(Id.class).build())
                    .defineField("day", LocalDate.class, Visibility.PRIVATE)
                    .annotateField(AnnotationDescription.Builder.ofType(Column.class).define("nullable", false).build())
                    .make()
                    .load(GeneratedEntities.class.getClassLoader(), ClassLoadingStrategy.UsingLookup.of(MethodHandles.lookup()))
                    .getLoaded());
        }
        return List.copyOf(GENERATED.subList(0, count));
    }

    /**
     * DDL for the generated entities' tables: daily partitions named as the policy names them
     * ({@code wide_0_p20261121}), the last ending 30 days after today (UTC), created server-side in one round trip.
     */
    public static String tables(int tables, int partitionsEach) {
        return "DO $$ DECLARE t int; p int; d date; BEGIN FOR t IN 0.." + (tables - 1) + " LOOP "
                + "EXECUTE format('CREATE TABLE wide_%s (id bigint NOT NULL, day date NOT NULL) PARTITION BY RANGE (day)', t); "
                + "FOR p IN 1.." + partitionsEach + " LOOP "
                + "d := (now() AT TIME ZONE 'UTC')::date + 30 - p; "
                + "EXECUTE format('CREATE TABLE %I PARTITION OF %I FOR VALUES FROM (%L) TO (%L)', "
                + "'wide_' || t || '_p' || to_char(d, 'YYYYMMDD'), 'wide_' || t, d, d + 1); END LOOP; END LOOP; END $$";
    }
}
