package io.pgpartition.internal.sql;

/** The escapes of a {@code U&"..."} identifier, as PostgreSQL decodes them. */
final class UnicodeEscapes {

    private UnicodeEscapes() {
    }

    /** The text of a {@code U&"..."} identifier: {@code \XXXX} and {@code \+XXXXXX} code points, a doubled escape. */
    static String decode(String raw, char escape) {
        try {
            return unescape(raw, escape);
        } catch (NumberFormatException invalidEscape) {
            return raw; // PostgreSQL refuses the statement itself
        }
    }

    private static String unescape(String raw, char escape) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c != escape || i + 1 >= raw.length()) {
                text.append(c);
            } else if (raw.charAt(i + 1) == escape) {
                text.append(escape);
                i++;
            } else if (raw.charAt(i + 1) == '+' && i + 8 <= raw.length()) {
                text.appendCodePoint(Integer.parseInt(raw.substring(i + 2, i + 8), 16));
                i += 7;
            } else if (i + 5 <= raw.length()) {
                text.appendCodePoint(Integer.parseInt(raw.substring(i + 1, i + 5), 16));
                i += 4;
            } else {
                text.append(c);
            }
        }
        return text.toString();
    }
}
