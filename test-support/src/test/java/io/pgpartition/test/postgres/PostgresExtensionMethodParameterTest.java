package io.pgpartition.test.postgres;

import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.sql.SQLException;

import static org.assertj.core.api.Assertions.assertThat;

@PostgresTest
class PostgresExtensionMethodParameterTest {

    @Test
    void getsItsOwnDatabaseAsMethodParameters(TestDatabase db, DataSource dataSource) throws SQLException {
        assertThat(SeenDatabases.currentDatabase(dataSource)).as("DataSource and TestDatabase point at one database").isEqualTo(db.name());
        assertThat(SeenDatabases.firstTimeSeen(db.name())).as("no other class had database %s", db.name()).isTrue();
        db.execute("CREATE TABLE only_in_this_class (id int)");
    }
}
