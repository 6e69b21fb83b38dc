package io.pgpartition.catalog;

import io.pgpartition.ErrorCode;
import io.pgpartition.PartitioningException;

/**
 * The PostgreSQL server version, as {@code server_version_num} (such as 170002) and the server's own text.
 */
public record ServerVersion(int number, String text) {

    /** The oldest major version pgpartition supports. */
    public static final int OLDEST_SUPPORTED = 14;
    /** The newest major version pgpartition is tested with. */
    public static final int NEWEST_TESTED = 18;

    /** The major version, such as 17. */
    public int major() {
        return number / 10000;
    }

    /** Whether the server is newer than the newest version pgpartition is tested with. */
    public boolean newerThanTested() {
        return major() > NEWEST_TESTED;
    }

    /**
     * Refuses servers older than PostgreSQL 14.
     *
     * @throws PartitioningException {@link ErrorCode#SERVER_UNSUPPORTED} naming the version found
     */
    public ServerVersion requireSupported() {
        if (major() < OLDEST_SUPPORTED) {
            throw new PartitioningException(ErrorCode.SERVER_UNSUPPORTED,
                    "PostgreSQL " + text + " (server_version_num " + number + ") is not supported: pgpartition needs PostgreSQL "
                            + OLDEST_SUPPORTED + " to " + NEWEST_TESTED + ". Upgrade the server to PostgreSQL "
                            + OLDEST_SUPPORTED + " or newer.");
        }
        return this;
    }

    @Override
    public String toString() {
        return "PostgreSQL " + text;
    }
}
