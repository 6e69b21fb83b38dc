package io.pgpartition.maintenance.internal;

import io.pgpartition.annotations.Expiry;
import io.pgpartition.ddl.internal.Sql;
import io.pgpartition.model.TableName;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The intent retention writes on an expired partition (as its table comment) before a concurrent detach, which
 * commits on its own: a later run that finds a plain table carrying the mark knows that retention detached it and
 * finishes the drop or the archive, and {@code check} reports it until then. Needs no privilege beyond the ownership
 * that dropping or archiving the partition needs anyway, and no table of pgpartition's own.
 *
 * @param parent        the table the partition was detached from
 * @param expiry        {@link Expiry#DROP} or {@link Expiry#ARCHIVE}
 * @param archiveSchema where an archived partition goes (empty for a drop)
 */
public record RetentionMark(TableName parent, Expiry expiry, Optional<String> archiveSchema) {

    /** What every comment retention writes starts with. */
    static final String ANY_PREFIX = "pgpartition retention: ";
    static final String PREFIX = "pgpartition retention: detached from ";

    private static final String QUOTED = "\"((?:[^\"]|\"\")+)\"";
    private static final Pattern MARK = Pattern.compile(Pattern.quote(PREFIX) + QUOTED + "\\." + QUOTED
            + " to be (dropped|archived into " + QUOTED + ")(?:; .*)?", Pattern.DOTALL);

    public RetentionMark {
        if (expiry == Expiry.DETACH || (expiry == Expiry.ARCHIVE) != archiveSchema.isPresent()) {
            throw new IllegalArgumentException("A retention mark is for a drop, or an archive into a schema: " + expiry + " " + archiveSchema);
        }
    }

    /** The comment text: the parent and what follows the detach, then the partition's bound for a reader. */
    String comment(String bound) {
        return PREFIX + Sql.table(parent) + " to be "
                + (expiry == Expiry.DROP ? "dropped" : "archived into " + Sql.identifier(archiveSchema.orElseThrow()))
                + "; held " + bound;
    }

    /** The comment an archived table keeps: where it came from and its bound. Not a mark. */
    static String archived(TableName parent, String bound) {
        return ARCHIVED_PREFIX + Sql.table(parent) + "; held " + bound;
    }

    static final String ARCHIVED_PREFIX = "pgpartition retention: archived from ";

    private static final Pattern ARCHIVED = Pattern.compile(Pattern.quote(ARCHIVED_PREFIX) + QUOTED + "\\." + QUOTED
            + "(?:; .*)?", Pattern.DOTALL);

    private static final Pattern DETACHED = Pattern.compile(Pattern.quote(PREFIX) + QUOTED + "\\." + QUOTED + "(?:; .*)?",
            Pattern.DOTALL);

    /** The comment a table only detached by retention keeps: where it came from and its bound. Not a mark. */
    static String detached(TableName parent, String bound) {
        return PREFIX + Sql.table(parent) + "; held " + bound;
    }

    /** The parent a detached table's comment names, if the comment is one {@link #detached} wrote. */
    static Optional<TableName> detachedFrom(String comment) {
        Matcher m = comment == null ? null : DETACHED.matcher(comment);
        return m != null && m.matches() ? Optional.of(TableName.of(unquote(m.group(1)), unquote(m.group(2)))) : Optional.empty();
    }

    /** The parent an archived table's comment names, if the comment is one {@link #archived} wrote. */
    static Optional<TableName> archivedFrom(String comment) {
        Matcher m = comment == null ? null : ARCHIVED.matcher(comment);
        return m != null && m.matches() ? Optional.of(TableName.of(unquote(m.group(1)), unquote(m.group(2)))) : Optional.empty();
    }

    /** The bound a retention comment records after {@code "; held "}, or an empty text. */
    static String heldBound(String comment) {
        int held = comment.indexOf("; held ");
        return held < 0 ? "" : comment.substring(held + "; held ".length());
    }

    /** The mark a comment holds, if it is one. */
    static Optional<RetentionMark> parse(String comment) {
        if (comment == null) {
            return Optional.empty();
        }
        Matcher m = MARK.matcher(comment);
        if (!m.matches()) {
            return Optional.empty();
        }
        TableName parent = TableName.of(unquote(m.group(1)), unquote(m.group(2)));
        return Optional.of(m.group(4) == null ? new RetentionMark(parent, Expiry.DROP, Optional.empty())
                : new RetentionMark(parent, Expiry.ARCHIVE, Optional.of(unquote(m.group(4)))));
    }

    private static String unquote(String quoted) {
        return quoted.replace("\"\"", "\"");
    }
}
