package io.pgpartition.internal;

import io.pgpartition.model.ColumnType;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

/**
 * PostgreSQL's hash-partition routing, computed in Java: the 64-bit seeded hash of each key value with the default
 * hash operator class of its type, folded over the key columns as the server does, so that
 * {@code hash mod greatest modulus} names the partition the server picks.
 *
 * <p>Follows PostgreSQL's algorithms as documented in its source (Bob Jenkins' lookup3 hash in its seeded 64-bit
 * form); matches servers on little-endian hardware (x86-64, ARM64) with UTF-8 server encoding and deterministic
 * collations. Supports integer, date, timestamp, timestamptz, text, uuid and boolean keys.
 */
public final class PgHash {

    /** The seed PostgreSQL passes to every key column's hash function when routing to hash partitions. */
    static final long PARTITION_SEED = 0x7A5B22367996DCFDL;

    private static final LocalDate POSTGRES_EPOCH = LocalDate.of(2000, 1, 1);
    private static final Instant POSTGRES_EPOCH_INSTANT = Instant.parse("2000-01-01T00:00:00Z");

    private PgHash() {
    }

    /** Whether the hash of a value of this type can be computed here. */
    public static boolean supports(ColumnType type) {
        return switch (type.kind()) {
            case INTEGER, DATE, TIMESTAMP, TIMESTAMPTZ, TEXT, UUID, BOOLEAN -> true;
            default -> false;
        };
    }

    /**
     * The row hash of a key: each non-null value hashed with the partition seed and combined in key order.
     *
     * @param values canonical values (see {@link ColumnType#coerce}), one per key column; {@code null} is skipped
     */
    public static long rowHash(List<Object> values, List<ColumnType> types) {
        long row = 0;
        for (int i = 0; i < values.size(); i++) {
            Object value = values.get(i);
            if (value != null) {
                row = combine(row, valueHash(value, types.get(i)));
            }
        }
        return row;
    }

    static long valueHash(Object value, ColumnType type) {
        return switch (type.kind()) {
            case INTEGER -> hashInt8((Long) value, PARTITION_SEED);
            case DATE -> hashUint32(epochDays((LocalDate) value), PARTITION_SEED);
            case TIMESTAMP -> hashInt8(epochMicros((LocalDateTime) value), PARTITION_SEED);
            case TIMESTAMPTZ -> hashInt8(epochMicros((Instant) value), PARTITION_SEED);
            case BOOLEAN -> hashUint32((Boolean) value ? 1 : 0, PARTITION_SEED);
            case UUID -> hashBytes(uuidBytes((UUID) value), PARTITION_SEED);
            case TEXT -> hashBytes(textBytes((String) value, type), PARTITION_SEED);
            default -> throw new IllegalArgumentException("No hash for partition key type " + type
                    + "; supported: integer types, date, timestamp, timestamptz, text, uuid, boolean");
        };
    }

    /** PostgreSQL's {@code hash_combine64}. */
    static long combine(long a, long b) {
        return a ^ (b + 0x49a0f4dd15e5a8e3L + (a << 54) + (a >>> 7));
    }

    /** {@code hashint8extended}: folds the high half into the low one so that int4 and int8 values hash alike. */
    static long hashInt8(long value, long seed) {
        int low = (int) value;
        int high = (int) (value >>> 32);
        low ^= value >= 0 ? high : ~high;
        return hashUint32(low, seed);
    }

    /** {@code hash_bytes_uint32_extended}. */
    static long hashUint32(int k, long seed) {
        int[] state = initialState(4, seed);
        return finish(state[0] + k, state[1], state[2]);
    }

    /** The internal state before the data: length-dependent, then perturbed by the seed as if it were a first chunk. */
    private static int[] initialState(int length, long seed) {
        int start = 0x9e3779b9 + length + 3923095;
        if (seed == 0) {
            return new int[]{start, start, start};
        }
        return mix(start + (int) (seed >>> 32), start + (int) seed, start);
    }

    /** {@code hash_bytes_extended} as it runs on little-endian hardware. */
    static long hashBytes(byte[] k, long seed) {
        int[] initial = initialState(k.length, seed);
        int a = initial[0];
        int b = initial[1];
        int c = initial[2];
        int offset = 0;
        int remaining = k.length;
        while (remaining >= 12) {
            a += word(k, offset);
            b += word(k, offset + 4);
            c += word(k, offset + 8);
            int[] state = mix(a, b, c);
            a = state[0];
            b = state[1];
            c = state[2];
            offset += 12;
            remaining -= 12;
        }
        // The last bytes fill a, then b, then c from its second byte up (its lowest byte stands for the length).
        for (int i = remaining - 1; i >= 0; i--) {
            int unsigned = k[offset + i] & 0xff;
            if (i >= 8) {
                c += unsigned << (8 * (i - 7));
            } else if (i >= 4) {
                b += unsigned << (8 * (i - 4));
            } else {
                a += unsigned << (8 * i);
            }
        }
        return finish(a, b, c);
    }

    private static int word(byte[] k, int offset) {
        return (k[offset] & 0xff) | (k[offset + 1] & 0xff) << 8 | (k[offset + 2] & 0xff) << 16 | (k[offset + 3] & 0xff) << 24;
    }

    private static int[] mix(int a, int b, int c) {
        a -= c; a ^= Integer.rotateLeft(c, 4); c += b;
        b -= a; b ^= Integer.rotateLeft(a, 6); a += c;
        c -= b; c ^= Integer.rotateLeft(b, 8); b += a;
        a -= c; a ^= Integer.rotateLeft(c, 16); c += b;
        b -= a; b ^= Integer.rotateLeft(a, 19); a += c;
        c -= b; c ^= Integer.rotateLeft(b, 4); b += a;
        return new int[]{a, b, c};
    }

    /** The final mix, returning {@code b} and {@code c} as one 64-bit value. */
    private static long finish(int a, int b, int c) {
        c ^= b; c -= Integer.rotateLeft(b, 14);
        a ^= c; a -= Integer.rotateLeft(c, 11);
        b ^= a; b -= Integer.rotateLeft(a, 25);
        c ^= b; c -= Integer.rotateLeft(b, 16);
        a ^= c; a -= Integer.rotateLeft(c, 4);
        b ^= a; b -= Integer.rotateLeft(a, 14);
        c ^= b; c -= Integer.rotateLeft(b, 24);
        return ((long) b << 32) | (c & 0xffffffffL);
    }

    private static int epochDays(LocalDate date) {
        if (date.equals(LocalDate.MAX)) {
            return Integer.MAX_VALUE;
        }
        if (date.equals(LocalDate.MIN)) {
            return Integer.MIN_VALUE;
        }
        return Math.toIntExact(ChronoUnit.DAYS.between(POSTGRES_EPOCH, date));
    }

    private static long epochMicros(LocalDateTime value) {
        if (value.equals(LocalDateTime.MAX)) {
            return Long.MAX_VALUE;
        }
        if (value.equals(LocalDateTime.MIN)) {
            return Long.MIN_VALUE;
        }
        return epochMicros(value.toInstant(ZoneOffset.UTC));
    }

    private static long epochMicros(Instant value) {
        if (value.equals(Instant.MAX)) {
            return Long.MAX_VALUE;
        }
        if (value.equals(Instant.MIN)) {
            return Long.MIN_VALUE;
        }
        long seconds = value.getEpochSecond() - POSTGRES_EPOCH_INSTANT.getEpochSecond();
        return Math.addExact(Math.multiplyExact(seconds, 1_000_000L), value.getNano() / 1000);
    }

    private static byte[] uuidBytes(UUID uuid) {
        byte[] bytes = new byte[16];
        long high = uuid.getMostSignificantBits();
        long low = uuid.getLeastSignificantBits();
        for (int i = 0; i < 8; i++) {
            bytes[i] = (byte) (high >>> (56 - 8 * i));
            bytes[8 + i] = (byte) (low >>> (56 - 8 * i));
        }
        return bytes;
    }

    /** UTF-8 bytes; for blank-padded {@code character(n)} the trailing blanks do not count, as in PostgreSQL. */
    private static byte[] textBytes(String value, ColumnType type) {
        String significant = type.isBlankPadded() ? value.replaceAll(" +$", "") : value;
        return significant.getBytes(StandardCharsets.UTF_8);
    }
}
