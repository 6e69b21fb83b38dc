package io.pgpartition;

import io.pgpartition.model.PartitionStrategy;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Messages are API: each names what, where, the value and the way out.
 */
class ExceptionMessagesTest {

    @Test
    void mappingExceptionListsEveryProblemOnItsOwnLine() {
        PartitionMappingException exception = new PartitionMappingException(List.of(
                new MappingProblem(ProblemCode.TABLE_NOT_PARTITIONED, "Order", "orders",
                        "the table is a plain table; found relkind TABLE, expected PARTITIONED_TABLE. Fix: convert it or remove @PartitionedBy"),
                new MappingProblem(ProblemCode.NO_PARTITIONS, "ChatMessage", "chat_messages",
                        "the table has no partitions. Fix: run maintenance")));
        String nl = System.lineSeparator();
        assertThat(exception).hasMessage("Partition mapping validation found 2 problems:" + nl
                + "  [TABLE_NOT_PARTITIONED] Order -> orders: the table is a plain table; found relkind TABLE, expected PARTITIONED_TABLE. "
                + "Fix: convert it or remove @PartitionedBy" + nl
                + "  [NO_PARTITIONS] ChatMessage -> chat_messages: the table has no partitions. Fix: run maintenance");
        assertThat(exception.getProblems()).extracting(MappingProblem::code)
                .as("problems keep their codes and order").containsExactly(ProblemCode.TABLE_NOT_PARTITIONED, ProblemCode.NO_PARTITIONS);
        assertThat(exception.getCode()).as("code").isEqualTo(ErrorCode.MAPPING_INVALID);
        assertThatThrownBy(() -> new PartitionMappingException(List.of()))
                .as("an exception without problems would say nothing").isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void keyMissing() {
        assertThat(new PartitionKeyMissingException("ContentItem", "sourceType", "source_type", "content_items_all", PartitionStrategy.LIST))
                .hasMessage("Cannot insert ContentItem: partition key attribute 'sourceType' (column source_type of table "
                        + "content_items_all, partitioned by LIST) is null. Set ContentItem.sourceType before persisting: "
                        + "PostgreSQL needs it to choose the partition.")
                .extracting(PartitioningException::getCode).isEqualTo(ErrorCode.PARTITION_KEY_MISSING);
    }

    @Test
    void keyChanged() {
        PartitionKeyChangedException exception = new PartitionKeyChangedException("ChatMessage", 42L, "createdAt",
                LocalDate.of(2024, 1, 5), LocalDate.of(2024, 6, 5));
        assertThat(exception).hasMessage("Cannot update ChatMessage with id 42: partition key attribute 'createdAt' would change "
                + "from 2024-01-05 to 2024-06-05. The partition key of a stored row never changes: delete the row and insert a new one instead.");
        assertThat(exception.getOldValue()).as("old value kept").isEqualTo(LocalDate.of(2024, 1, 5));
    }

    @Test
    void bulkKeyChange() {
        PartitionKeyChangedException exception = new PartitionKeyChangedException("ClaimLine", "serviceDate", "service_date",
                "update claim_line_items set service_date=? where id=?");
        assertThat(exception).hasMessage("Cannot run update claim_line_items set service_date=? where id=?: it sets partition key "
                + "attribute 'serviceDate' (column service_date) of ClaimLine, which would move rows between partitions. The "
                + "partition key of a stored row never changes: delete the rows and insert new ones instead.");
        assertThat(exception.getId()).as("no single row is known").isNull();
    }

    @Test
    void noPartitionForKey() {
        assertThat(new NoPartitionForKeyException("claim_line_items", LocalDate.of(2024, 11, 3),
                List.of("claim_line_items_y2024m09", "claim_line_items_y2024m08"), null))
                .hasMessage("No partition of table claim_line_items accepts partition key value 2024-11-03; nearest partitions: "
                        + "claim_line_items_y2024m09, claim_line_items_y2024m08. Create a partition for this value or run partition maintenance.");
        assertThat(new NoPartitionForKeyException("content_items_all", "manual", List.of(),
                "Partition key of the failing row contains (source_type) = (manual)."))
                .hasMessage("No partition of table content_items_all accepts partition key value manual. "
                        + "Create a partition for this value or run partition maintenance. "
                        + "Server detail: Partition key of the failing row contains (source_type) = (manual).");
    }

    @Test
    void childPartitionWrite() {
        assertThat(new ChildPartitionWriteException("content_items_auto", "content_items_all",
                "insert into content_items_auto (id) values (1)"))
                .hasMessage("Statement writes to partition content_items_auto directly instead of its parent table content_items_all: "
                        + "insert into content_items_auto (id) values (1). Write to content_items_all and let PostgreSQL route the row, "
                        + "or set pgpartition.child_partition_dml=allow.")
                .extracting(PartitioningException::getCode).isEqualTo(ErrorCode.CHILD_PARTITION_WRITE);
    }
}
