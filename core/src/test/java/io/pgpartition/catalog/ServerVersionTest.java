package io.pgpartition.catalog;

import io.pgpartition.ErrorCode;
import io.pgpartition.PartitioningException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ServerVersionTest {

    @Test
    void supportsFourteenToEighteen() {
        assertThat(new ServerVersion(140000, "14.0").requireSupported().major()).as("14.0 is the oldest supported").isEqualTo(14);
        assertThat(new ServerVersion(180001, "18.1").requireSupported().newerThanTested()).as("18 is tested").isFalse();
        assertThat(new ServerVersion(190000, "19devel").newerThanTested()).as("19 is newer than tested").isTrue();
    }

    @Test
    void refusesOlderServersNamingTheVersion() {
        assertThatThrownBy(() -> new ServerVersion(130014, "13.14").requireSupported())
                .as("PostgreSQL 13 is refused with the version found and the way out")
                .isInstanceOf(PartitioningException.class)
                .hasMessage("PostgreSQL 13.14 (server_version_num 130014) is not supported: pgpartition needs PostgreSQL 14 to 18. "
                        + "Upgrade the server to PostgreSQL 14 or newer.")
                .extracting(e -> ((PartitioningException) e).getCode()).isEqualTo(ErrorCode.SERVER_UNSUPPORTED);
    }
}
