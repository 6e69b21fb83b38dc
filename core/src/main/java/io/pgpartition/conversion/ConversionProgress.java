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

    /** The swap committed, having held its exclusive locks for {@code locked} (from the LOCK granted to the commit). */
    default void swapped(Duration locked) {
    }

    /** A batch was copied: rows copied so far, the table's rows when the copy started, time spent copying. */
    default void copied(long rows, long total, Duration elapsed) {
    }
}
