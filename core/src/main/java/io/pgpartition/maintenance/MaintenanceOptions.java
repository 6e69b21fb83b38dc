package io.pgpartition.maintenance;

import java.time.Duration;
import java.util.Objects;

/**
 * How maintenance waits for locks.
 *
 * @param lockTimeout      the {@code lock_timeout} of every maintenance statement: how long the application's writes
 *                         can queue behind it at most
 * @param attempts         how often a statement that timed out on a lock (or lost a deadlock) is tried in all
 * @param backoff          the pause before the second attempt; it doubles (with jitter) before each further one
 * @param advisoryLockWait how long a run waits for another run maintaining the same table to finish
 */
public record MaintenanceOptions(Duration lockTimeout, int attempts, Duration backoff, Duration advisoryLockWait) {

    /** 2 s lock timeout, 5 attempts, 200 ms first backoff, up to 5 minutes' wait for another run. */
    public static final MaintenanceOptions DEFAULTS =
            new MaintenanceOptions(Duration.ofSeconds(2), 5, Duration.ofMillis(200), Duration.ofMinutes(5));

    public MaintenanceOptions {
        Objects.requireNonNull(lockTimeout, "lockTimeout");
        Objects.requireNonNull(backoff, "backoff");
        Objects.requireNonNull(advisoryLockWait, "advisoryLockWait");
        if (lockTimeout.toMillis() < 1) {
            throw new IllegalArgumentException("The lock timeout is at least 1 ms (0 would wait forever); got " + lockTimeout);
        }
        if (attempts < 1) {
            throw new IllegalArgumentException("Maintenance tries each statement at least once; got " + attempts + " attempts");
        }
        if (backoff.isNegative() || advisoryLockWait.isNegative()) {
            throw new IllegalArgumentException("Waits cannot be negative");
        }
    }

    public MaintenanceOptions withLockTimeout(Duration timeout) {
        return new MaintenanceOptions(timeout, attempts, backoff, advisoryLockWait);
    }

    public MaintenanceOptions withAttempts(int count) {
        return new MaintenanceOptions(lockTimeout, count, backoff, advisoryLockWait);
    }

    public MaintenanceOptions withBackoff(Duration pause) {
        return new MaintenanceOptions(lockTimeout, attempts, pause, advisoryLockWait);
    }

    public MaintenanceOptions withAdvisoryLockWait(Duration wait) {
        return new MaintenanceOptions(lockTimeout, attempts, backoff, wait);
    }

    /** The lock timeout as a {@code SET lock_timeout} value, in milliseconds. */
    String lockTimeoutSetting() {
        return lockTimeout.toMillis() + "ms";
    }
}
