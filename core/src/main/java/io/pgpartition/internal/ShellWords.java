package io.pgpartition.internal;

import io.pgpartition.ddl.internal.Sql;
import io.pgpartition.model.TableName;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Commands printed for a shell to run as printed: each word quoted only where a POSIX shell would read it otherwise,
 * and the connection options of pgpartition's command line for the database a connection reached.
 */
public final class ShellWords {

    private static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_$]*");
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_./:=@%+,-]+");

    private ShellWords() {
    }

    /** The word as a shell reads it back: as it is when plain, else in single quotes. */
    public static String quote(String word) {
        if (PLAIN.matcher(word).matches()) {
            return word;
        }
        return "'" + word.replace("'", "'\\''") + "'";
    }

    /** The words, each quoted, joined by spaces. */
    public static String join(List<String> words) {
        return words.stream().map(ShellWords::quote).collect(Collectors.joining(" "));
    }

    /**
     * A table as pgpartition's command line takes it: {@code name} or {@code schema.name} where both are plain
     * lower-case identifiers, else double-quoted as SQL writes them ({@code '"Sales"."order.items"'}).
     */
    public static String tableWord(TableName table) {
        boolean plain = IDENTIFIER.matcher(table.name()).matches() && (table.schema() == null
                || IDENTIFIER.matcher(table.schema()).matches());
        return quote(plain ? table.toString() : Sql.table(table));
    }

    /**
     * {@code --url URL [-U USER] -W} for the database a connection reached: the JDBC URL without a password in it, the
     * user unless the URL names it, and the prompt for the password (which never goes on a command line).
     */
    public static List<String> connectionOptions(String jdbcUrl, String user) {
        int query = jdbcUrl.indexOf('?');
        String url = jdbcUrl;
        boolean userInUrl = false;
        if (query >= 0) {
            List<String> kept = new ArrayList<>();
            for (String parameter : jdbcUrl.substring(query + 1).split("&")) {
                String name = parameter.split("=", 2)[0].toLowerCase(Locale.ROOT);
                if (name.equals("password")) {
                    continue;
                }
                userInUrl |= name.equals("user");
                if (!parameter.isEmpty()) {
                    kept.add(parameter);
                }
            }
            url = jdbcUrl.substring(0, query) + (kept.isEmpty() ? "" : "?" + String.join("&", kept));
        }
        List<String> options = new ArrayList<>(List.of("--url", url));
        if (!userInUrl && user != null && !user.isBlank()) {
            options.addAll(List.of("-U", user));
        }
        options.add("-W");
        return options;
    }
}
