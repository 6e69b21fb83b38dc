package io.pgpartition.test.postgres;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.Set;

/** The databases test classes of this JVM were given, to prove no two classes share one. */
final class SeenDatabases {

    private static final Set<String> SEEN = new HashSet<>();

    private SeenDatabases() {
    }

    static synchronized boolean firstTimeSeen(String database) {
        return SEEN.add(database);
    }

    static String currentDatabase(DataSource dataSource) throws SQLException {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT current_database()")) {
            rs.next();
            return rs.getString(1);
        }
    }
}
