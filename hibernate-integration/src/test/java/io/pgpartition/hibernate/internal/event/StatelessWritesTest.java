package io.pgpartition.hibernate.internal.event;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Which Hibernate versions get the stateless-update refusal. */
class StatelessWritesTest {

    @Test
    void versionsOlderThanTheFixAreRecognised() {
        assertThat(io.pgpartition.hibernate.internal.HibernateVersion.olderThan("7.2.19.Final", 7, 4)).isTrue();
        assertThat(io.pgpartition.hibernate.internal.HibernateVersion.olderThan("7.3.13.Final", 7, 4)).isTrue();
        assertThat(io.pgpartition.hibernate.internal.HibernateVersion.olderThan("6.6.33.Final", 7, 4)).isTrue();
        assertThat(io.pgpartition.hibernate.internal.HibernateVersion.olderThan("7.4.0.Final", 7, 4)).isFalse();
        assertThat(io.pgpartition.hibernate.internal.HibernateVersion.olderThan("7.4.15.Final", 7, 4)).isFalse();
        assertThat(io.pgpartition.hibernate.internal.HibernateVersion.olderThan("7.10.1-SNAPSHOT", 7, 4)).as("compared as numbers, not text").isFalse();
        assertThat(io.pgpartition.hibernate.internal.HibernateVersion.olderThan("8.0.0.Alpha1", 7, 4)).isFalse();
        assertThat(io.pgpartition.hibernate.internal.HibernateVersion.olderThan("[WORKING]", 7, 4)).as("unreadable: not assumed old").isFalse();
        assertThat(io.pgpartition.hibernate.internal.HibernateVersion.olderThan(null, 7, 4)).isFalse();
    }
}
