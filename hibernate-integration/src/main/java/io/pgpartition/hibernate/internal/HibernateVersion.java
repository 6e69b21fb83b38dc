package io.pgpartition.hibernate.internal;

import org.hibernate.Version;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Hibernate ORM on the class path, as its jar reports it, and what pgpartition makes of it.
 */
public final class HibernateVersion {

    private static final Pattern MAJOR_MINOR = Pattern.compile("(\\d+)\\.(\\d+).*");

    /** The version text of the running Hibernate ORM, such as {@code 7.2.19.Final}. */
    public static final String RUNNING = Version.getVersionString();

    /** The oldest Hibernate ORM line pgpartition runs on. */
    public static final String OLDEST_SUPPORTED = "7.2";

    /** Whether the running Hibernate ORM is one pgpartition runs on (7.2 or newer). */
    public static final boolean SUPPORTED = !olderThan(RUNNING, 7, 2);

    private HibernateVersion() {
    }

    /** Whether a version text such as {@code 7.3.13.Final} is older than {@code major.minor}; unreadable text is not. */
    public static boolean olderThan(String version, int major, int minor) {
        Matcher m = MAJOR_MINOR.matcher(version == null ? "" : version);
        if (!m.matches()) {
            return false;
        }
        int foundMajor = Integer.parseInt(m.group(1));
        int foundMinor = Integer.parseInt(m.group(2));
        return foundMajor < major || (foundMajor == major && foundMinor < minor);
    }
}
