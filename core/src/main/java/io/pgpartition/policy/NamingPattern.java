package io.pgpartition.policy;

import io.pgpartition.PartitionDefinitionException;
import io.pgpartition.model.PartitionStrategy;

import java.time.LocalDate;
import java.time.temporal.IsoFields;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A partition naming pattern such as {@code {table}_y{yyyy}m{MM}}. Tokens: {@code {table}}, {@code {yyyy}},
 * {@code {MM}}, {@code {dd}}, {@code {q}} (quarter 1-4), {@code {ww}} (ISO week; {@code {yyyy}} is then the ISO
 * week-based year), {@code {remainder}} (hash), {@code {value}} (list value or numeric lower bound).
 */
public final class NamingPattern {

    /** A token of a naming pattern. */
    public enum Token {
        TABLE("table"), YEAR("yyyy"), MONTH("MM"), DAY("dd"), QUARTER("q"), WEEK("ww"), REMAINDER("remainder"), VALUE("value");

        private final String text;

        Token(String text) {
            this.text = text;
        }

        @Override
        public String toString() {
            return "{" + text + "}";
        }
    }

    private static final String ACCEPTED_TOKENS = "{table}, {yyyy}, {MM}, {dd}, {q}, {ww}, {remainder}, {value}";

    private final String pattern;
    private final List<Object> parts;
    private final Set<Token> tokens;

    private NamingPattern(String pattern, List<Object> parts) {
        this.pattern = pattern;
        this.parts = List.copyOf(parts);
        EnumSet<Token> used = EnumSet.noneOf(Token.class);
        for (Object part : parts) {
            if (part instanceof Token token) {
                used.add(token);
            }
        }
        this.tokens = Set.copyOf(used);
    }

    /**
     * Parses a pattern, checking its tokens.
     *
     * @throws PartitionDefinitionException naming the annotation, attribute, text and the accepted tokens
     */
    public static NamingPattern parse(String pattern, String annotation, String attribute) {
        if (pattern == null || pattern.isBlank()) {
            throw new PartitionDefinitionException(annotation, attribute, String.valueOf(pattern),
                    "a pattern of text and tokens " + ACCEPTED_TOKENS);
        }
        List<Object> parts = new ArrayList<>();
        StringBuilder literal = new StringBuilder();
        int i = 0;
        while (i < pattern.length()) {
            char c = pattern.charAt(i);
            if (c == '{') {
                int close = pattern.indexOf('}', i);
                if (close < 0) {
                    throw new PartitionDefinitionException(annotation, attribute, pattern,
                            "a '}' closing the '{' at position " + i + "; tokens are " + ACCEPTED_TOKENS);
                }
                String name = pattern.substring(i + 1, close);
                Token token = tokenNamed(name);
                if (token == null) {
                    throw new PartitionDefinitionException(annotation, attribute, pattern,
                            "one of the tokens " + ACCEPTED_TOKENS + " instead of {" + name + "}");
                }
                if (literal.length() > 0) {
                    parts.add(literal.toString());
                    literal.setLength(0);
                }
                parts.add(token);
                i = close + 1;
            } else if (c == '}') {
                throw new PartitionDefinitionException(annotation, attribute, pattern,
                        "no '}' without a '{' (position " + i + "); tokens are " + ACCEPTED_TOKENS);
            } else if (c == '\0') {
                throw new PartitionDefinitionException(annotation, attribute, pattern.replace("\0", "\\0"),
                        "a name without the NUL character");
            } else {
                literal.append(c);
                i++;
            }
        }
        if (literal.length() > 0) {
            parts.add(literal.toString());
        }
        return new NamingPattern(pattern, parts);
    }

    private static Token tokenNamed(String name) {
        for (Token token : Token.values()) {
            if (token.text.equals(name)) {
                return token;
            }
        }
        return null;
    }

    /**
     * Checks that the pattern gives each partition of the strategy and interval its own name.
     *
     * @param interval the range interval, or {@code null} for LIST and HASH
     * @throws PartitionDefinitionException naming the tokens missing
     */
    public NamingPattern requireDistinctNames(PartitionStrategy strategy, PartitionInterval interval,
                                              String annotation, String attribute) {
        String missing = switch (strategy) {
            case HASH -> tokens.contains(Token.REMAINDER) ? null : "{remainder}";
            case LIST -> null;
            case RANGE -> interval instanceof TimeInterval time ? missingForTime(time)
                    : tokens.contains(Token.VALUE) ? null : "{value}";
        };
        if (missing != null) {
            String what = interval == null ? strategy.name().toLowerCase() + " partitions"
                    : "partitions of " + interval;
            throw new PartitionDefinitionException(annotation, attribute, pattern,
                    missing + " in the pattern: without it, names of " + what + " collide");
        }
        for (Token token : tokens) {
            boolean fits = switch (token) {
                case TABLE -> true;
                case REMAINDER -> strategy == PartitionStrategy.HASH;
                case VALUE -> strategy == PartitionStrategy.LIST
                        || strategy == PartitionStrategy.RANGE && interval instanceof NumericInterval;
                default -> strategy == PartitionStrategy.RANGE && interval instanceof TimeInterval;
            };
            if (!fits) {
                throw new PartitionDefinitionException(annotation, attribute, pattern,
                        "no token " + token + ", which has no meaning for " + (interval == null
                                ? strategy.name().toLowerCase() + " partitions" : "partitions of " + interval));
            }
        }
        return this;
    }

    private String missingForTime(TimeInterval interval) {
        boolean year = tokens.contains(Token.YEAR);
        boolean month = tokens.contains(Token.MONTH);
        boolean day = tokens.contains(Token.DAY);
        boolean week = tokens.contains(Token.WEEK);
        boolean quarter = tokens.contains(Token.QUARTER);
        if (!year) {
            return "{yyyy}";
        }
        return switch (interval.unit()) {
            case YEAR -> null;
            case MONTH -> month || (quarter && interval.count() % 3 == 0) ? null
                    : interval.count() % 3 == 0 ? "{MM} or {q}" : "{MM}";
            case WEEK -> week || (month && day) ? null : "{ww}, or {MM} and {dd}";
            case DAY -> month && day ? null : "{MM} and {dd}";
        };
    }

    /** The name of the time-range partition whose period starts on {@code periodStart}. */
    public String format(String table, LocalDate periodStart) {
        boolean isoWeeks = tokens.contains(Token.WEEK);
        StringBuilder name = new StringBuilder();
        for (Object part : parts) {
            if (part instanceof Token token) {
                name.append(switch (token) {
                    case TABLE -> table;
                    case YEAR -> padded(isoWeeks ? periodStart.get(IsoFields.WEEK_BASED_YEAR) : periodStart.getYear(), 4);
                    case MONTH -> padded(periodStart.getMonthValue(), 2);
                    case DAY -> padded(periodStart.getDayOfMonth(), 2);
                    case QUARTER -> Integer.toString((periodStart.getMonthValue() - 1) / 3 + 1);
                    case WEEK -> padded(periodStart.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR), 2);
                    case REMAINDER, VALUE -> throw new IllegalStateException(token + " needs a value, not a date");
                });
            } else {
                name.append(part);
            }
        }
        return name.toString();
    }

    /** {@code value} with leading zeros up to {@code width} digits, as {@code %0<width>d} prints it (without its cost). */
    static String padded(int value, int width) {
        String digits = Integer.toString(Math.abs(value));
        StringBuilder text = new StringBuilder(width + 1);
        if (value < 0) {
            text.append('-');
        }
        for (int i = digits.length() + (value < 0 ? 1 : 0); i < width; i++) {
            text.append('0');
        }
        return text.append(digits).toString();
    }

    /** The name of a list partition (by its value), numeric range partition (by its lower bound) or hash partition. */
    public String format(String table, Token token, String value) {
        StringBuilder name = new StringBuilder();
        for (Object part : parts) {
            if (part == Token.TABLE) {
                name.append(table);
            } else if (part == token) {
                name.append(value);
            } else if (part instanceof Token other) {
                throw new IllegalStateException("Token " + other + " has no value when naming by " + token);
            } else {
                name.append(part);
            }
        }
        return name.toString();
    }

    /** The tokens the pattern uses. */
    public Set<Token> tokens() {
        return tokens;
    }

    public String pattern() {
        return pattern;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof NamingPattern that && pattern.equals(that.pattern);
    }

    @Override
    public int hashCode() {
        return pattern.hashCode();
    }

    @Override
    public String toString() {
        return parts.stream().map(Object::toString).collect(Collectors.joining());
    }
}
