package io.pgpartition.pruning.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the JSON that {@code EXPLAIN (FORMAT JSON)} prints: objects as maps (in their order), arrays as lists, strings
 * with their escapes resolved, numbers and literals as their text. Anything else is refused with the offset where it
 * went wrong.
 */
public final class PlanJson {

    private final String text;
    private int pos;

    private PlanJson(String text) {
        this.text = text;
    }

    /** The value the text holds. */
    public static Object parse(String text) {
        PlanJson json = new PlanJson(text);
        Object value = json.value();
        json.skipSpace();
        if (json.pos != text.length()) {
            throw json.error("text after the value");
        }
        return value;
    }

    private Object value() {
        skipSpace();
        if (pos >= text.length()) {
            throw error("a value expected");
        }
        char c = text.charAt(pos);
        if (c == '{') {
            return object();
        }
        if (c == '[') {
            return array();
        }
        if (c == '"') {
            return string();
        }
        return word();
    }

    private Map<String, Object> object() {
        pos++;
        Map<String, Object> members = new LinkedHashMap<>();
        skipSpace();
        if (!accept('}')) {
            do {
                skipSpace();
                if (pos >= text.length() || text.charAt(pos) != '"') {
                    throw error("a member name expected");
                }
                String name = string();
                skipSpace();
                expect(':');
                members.put(name, value());
                skipSpace();
            } while (accept(','));
            expect('}');
        }
        return members;
    }

    private List<Object> array() {
        pos++;
        List<Object> items = new ArrayList<>();
        skipSpace();
        if (!accept(']')) {
            do {
                items.add(value());
                skipSpace();
            } while (accept(','));
            expect(']');
        }
        return items;
    }

    private String string() {
        pos++;
        StringBuilder out = new StringBuilder();
        while (pos < text.length()) {
            char c = text.charAt(pos++);
            if (c == '"') {
                return out.toString();
            }
            if (c != '\\') {
                out.append(c);
                continue;
            }
            if (pos >= text.length()) {
                break;
            }
            char escaped = text.charAt(pos++);
            switch (escaped) {
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                case 'n' -> out.append('\n');
                case 'r' -> out.append('\r');
                case 't' -> out.append('\t');
                case 'u' -> {
                    if (pos + 4 > text.length()) {
                        throw error("four hex digits expected");
                    }
                    try {
                        out.append((char) Integer.parseInt(text.substring(pos, pos + 4), 16));
                    } catch (NumberFormatException e) {
                        throw error("four hex digits expected");
                    }
                    pos += 4;
                }
                case '"', '\\', '/' -> out.append(escaped);
                default -> throw error("unknown escape \\" + escaped);
            }
        }
        throw error("unterminated string");
    }

    /** A number, {@code true}, {@code false} or {@code null}, as its text ({@code null} as Java's null). */
    private String word() {
        int start = pos;
        while (pos < text.length() && "{}[],:\" \t\r\n".indexOf(text.charAt(pos)) < 0) {
            pos++;
        }
        if (pos == start) {
            throw error("a value expected");
        }
        String word = text.substring(start, pos);
        return word.equals("null") ? null : word;
    }

    private void skipSpace() {
        while (pos < text.length() && " \t\r\n".indexOf(text.charAt(pos)) >= 0) {
            pos++;
        }
    }

    private boolean accept(char c) {
        if (pos < text.length() && text.charAt(pos) == c) {
            pos++;
            return true;
        }
        return false;
    }

    private void expect(char c) {
        if (!accept(c)) {
            throw error("'" + c + "' expected");
        }
    }

    private IllegalArgumentException error(String what) {
        return new IllegalArgumentException("Cannot read the plan: " + what + " at offset " + pos + " of " + text.length());
    }
}
