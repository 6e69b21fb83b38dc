package io.pgpartition.test.hibernate;

import java.lang.annotation.Documented;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** One configuration setting of a {@link HibernateTest}'s session factory. */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({})
public @interface Setting {

    /** The setting's key, such as {@code pgpartition.validation}. */
    String name();

    /** Its value. */
    String value();
}
