package io.pgpartition.test.hibernate;

import io.pgpartition.test.postgres.PostgresExtension;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JUnit 5 extension behind {@link HibernateTest}: one {@link SessionFactoryScope} per top-level test class (nested
 * classes share it), closed with every factory it built after the class's last test.
 */
public final class SessionFactoryExtension implements BeforeAllCallback, AfterAllCallback, ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(SessionFactoryExtension.class);
    private static final String SCOPE = "scope";

    @Override
    public void beforeAll(ExtensionContext context) {
        ExtensionContext.Store store = context.getStore(NAMESPACE);
        if (store.get(SCOPE, SessionFactoryScope.class) != null) {
            return;
        }
        HibernateTest declaration = AnnotationSupport.findAnnotation(context.getRequiredTestClass(), HibernateTest.class)
                .orElseThrow(() -> new IllegalStateException(context.getRequiredTestClass().getName()
                        + " uses the SessionFactoryExtension without @HibernateTest: annotate the class with @HibernateTest"));
        Map<String, Object> settings = new LinkedHashMap<>();
        for (Setting setting : declaration.settings()) {
            settings.put(setting.name(), setting.value());
        }
        store.put(SCOPE, new SessionFactoryScope(() -> PostgresExtension.database(context), settings,
                List.of(declaration.entities())));
        store.put(SCOPE + ".owner", context.getUniqueId());
    }

    @Override
    public void afterAll(ExtensionContext context) {
        ExtensionContext.Store store = context.getStore(NAMESPACE);
        if (context.getUniqueId().equals(store.get(SCOPE + ".owner", String.class))) {
            SessionFactoryScope scope = store.remove(SCOPE, SessionFactoryScope.class);
            if (scope != null) {
                scope.close();
            }
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == SessionFactoryScope.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        SessionFactoryScope scope = context.getStore(NAMESPACE).get(SCOPE, SessionFactoryScope.class);
        if (scope == null) {
            throw new ParameterResolutionException("No session factory scope: annotate the test class with @HibernateTest");
        }
        return scope;
    }
}
