package io.pgpartition.internal;

import io.pgpartition.model.TableName;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Words printed for a shell, and the command line's connection options. */
class ShellWordsTest {

    @Test
    void plainWordsStayAsTheyAreOthersAreSingleQuoted() {
        assertThat(ShellWords.quote("--premake")).isEqualTo("--premake");
        assertThat(ShellWords.quote("jdbc:postgresql://db:5432/app")).isEqualTo("jdbc:postgresql://db:5432/app");
        assertThat(ShellWords.quote("1 month")).isEqualTo("'1 month'");
        assertThat(ShellWords.quote("{table}_{yyyy}")).as("braces expand in bash").isEqualTo("'{table}_{yyyy}'");
        assertThat(ShellWords.quote("range(at)")).isEqualTo("'range(at)'");
        assertThat(ShellWords.quote("it's")).as("a quote closes, is escaped, reopens").isEqualTo("'it'\\''s'");
        assertThat(ShellWords.quote("a?b")).isEqualTo("'a?b'");
        assertThat(ShellWords.quote("$HOME")).isEqualTo("'$HOME'");
        assertThat(ShellWords.quote("")).as("an empty word stays a word").isEqualTo("''");
        assertThat(ShellWords.join(List.of("pgpartition", "convert", "run", "t", "--by", "list(kind)")))
                .isEqualTo("pgpartition convert run t --by 'list(kind)'");
    }

    @Test
    void tablesAsTheCommandLineTakesThem() {
        assertThat(ShellWords.tableWord(TableName.of("orders"))).isEqualTo("orders");
        assertThat(ShellWords.tableWord(TableName.of("sales", "orders"))).isEqualTo("sales.orders");
        assertThat(ShellWords.tableWord(TableName.of("Sales", "order.items"))).isEqualTo("'\"Sales\".\"order.items\"'");
        assertThat(ShellWords.tableWord(TableName.of("it's"))).isEqualTo("'\"it'\\''s\"'");
    }

    @Test
    void connectionOptionsNeverCarryThePassword() {
        assertThat(ShellWords.connectionOptions("jdbc:postgresql://db:5432/app", "app"))
                .containsExactly("--url", "jdbc:postgresql://db:5432/app", "-U", "app", "-W");
        assertThat(ShellWords.connectionOptions("jdbc:postgresql://db/app?password=s3cret&sslmode=require&PASSWORD=x", "app"))
                .containsExactly("--url", "jdbc:postgresql://db/app?sslmode=require", "-U", "app", "-W");
        assertThat(ShellWords.connectionOptions("jdbc:postgresql://db/app?user=app&password=s3cret", "app"))
                .as("the user named in the URL is not named again").containsExactly("--url", "jdbc:postgresql://db/app?user=app", "-W");
        assertThat(ShellWords.connectionOptions("jdbc:postgresql://db/app?password=s3cret", null))
                .containsExactly("--url", "jdbc:postgresql://db/app", "-W");
    }
}
