package io.pgpartition.hibernate.enhance;

import io.pgpartition.annotations.PartitionedBy;
import net.bytebuddy.asm.MemberSubstitution;
import net.bytebuddy.build.Plugin;
import net.bytebuddy.description.annotation.AnnotationDescription;
import net.bytebuddy.description.field.FieldDescription;
import net.bytebuddy.description.modifier.FieldPersistence;
import net.bytebuddy.description.modifier.Visibility;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.implementation.FieldAccessor;
import net.bytebuddy.implementation.MethodCall;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.not;

/**
 * Byte Buddy build plugin: in each class declaring {@code @PartitionedBy}, every write of a key field goes through a
 * guarded write method that throws {@link io.pgpartition.PartitionKeyChangedException} when the instance is persistent
 * and the value differs, so the stack trace points at the line that assigned it. Works before or after Hibernate's
 * own bytecode enhancement.
 *
 * <pre>{@code
 * <plugin>
 *   <groupId>net.bytebuddy</groupId>
 *   <artifactId>byte-buddy-maven-plugin</artifactId>
 *   <executions><execution><goals><goal>transform</goal></goals></execution></executions>
 *   <configuration>
 *     <transformations>
 *       <transformation><plugin>io.pgpartition.hibernate.enhance.PartitionKeyGuardPlugin</plugin></transformation>
 *     </transformations>
 *   </configuration>
 *   <dependencies><dependency><groupId>io.pgpartition</groupId><artifactId>pgpartition-hibernate</artifactId>
 *     <version>...</version></dependency></dependencies>
 * </plugin>
 * }</pre>
 */
public final class PartitionKeyGuardPlugin implements Plugin {

    static final String PERSISTENT = "$$_pgpartition_persistent";
    static final String WRITE_PREFIX = "$$_pgpartition_write_";
    private static final Method CHECK;

    static {
        try {
            CHECK = PartitionKeyWrites.class.getMethod("check", boolean.class, Object.class, Object.class, String.class, String.class);
        } catch (NoSuchMethodException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @Override
    public boolean matches(TypeDescription target) {
        return target.getDeclaredAnnotations().isAnnotationPresent(PartitionedBy.class)
                && !target.isAssignableTo(PartitionKeyGuarded.class);
    }

    @Override
    public DynamicType.Builder<?> apply(DynamicType.Builder<?> builder, TypeDescription type, ClassFileLocator locator) {
        builder = builder
                .defineField(PERSISTENT, boolean.class, Visibility.PRIVATE, FieldPersistence.TRANSIENT)
                .implement(PartitionKeyGuarded.class)
                .defineMethod("$$_pgpartition_markPersistent", void.class, Visibility.PUBLIC)
                .intercept(FieldAccessor.ofField(PERSISTENT).setsValue(true));
        for (String attribute : keyAttributes(type)) {
            FieldDescription.InDefinedShape field = type.getDeclaredFields().filter(named(attribute)).getOnly();
            String write = WRITE_PREFIX + attribute;
            builder = builder
                    .defineMethod(write, void.class, Visibility.PRIVATE)
                    .withParameters(field.getType())
                    .intercept(MethodCall.invoke(CHECK)
                            .withField(PERSISTENT, attribute)
                            .withArgument(0)
                            .with(entityName(type), attribute)
                            .andThen(FieldAccessor.ofField(attribute).setsArgumentAt(0)))
                    .visit(MemberSubstitution.relaxed()
                            .field(named(attribute)).onWrite()
                            .replaceWithMethod(named(write))
                            .on(not(named(write))));
        }
        return builder;
    }

    /** The key attribute names that are fields declared by this class. */
    private static List<String> keyAttributes(TypeDescription type) {
        AnnotationDescription.Loadable<PartitionedBy> partitionedBy = type.getDeclaredAnnotations().ofType(PartitionedBy.class);
        List<String> names = new ArrayList<>(io.pgpartition.policy.PartitionDefinition.keyAttributes(partitionedBy.load()));
        names.removeIf(name -> type.getDeclaredFields().filter(named(name)).isEmpty());
        return names;
    }

    private static String entityName(TypeDescription type) {
        AnnotationDescription entity = type.getDeclaredAnnotations().stream()
                .filter(a -> a.getAnnotationType().getName().equals("jakarta.persistence.Entity")).findFirst().orElse(null);
        String name = entity == null ? "" : entity.getValue("name").resolve(String.class);
        return name.isEmpty() ? type.getSimpleName() : name;
    }

    @Override
    public void close() {
        // nothing to release
    }

}
