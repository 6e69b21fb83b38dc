package io.pgpartition.conversion;

import java.time.Duration;

/** What a running conversion reports as it goes. */
public interface ConversionProgress {

    /** Reports nothing. */
    ConversionProgress NONE = new ConversionProgress() {
    };

    /** A step began or ended, in one line such as {@code swapped public.chat_messages (12 ms under lock)}. */
    default void step(String line) {
    }

    /**
     * The swap committed; writers stalled behind it for up to {@code locked}, from its lock request (writers queue
     * behind it from then on) to its commit.
     */
    default void swapped(Duration locked) {
    }

    /** A batch was copied: rows copied so far, the table's rows when the copy started, time spent copying. */
    default void copied(long rows, long total, Duration elapsed) {
    }
}
