package io.pgpartition.sample;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class SampleApplicationTest {

    @Test
    void printsTheSeedLayoutAndAgreesWithTheServerOnEveryRow() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        SampleApplication.run(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String output = bytes.toString(StandardCharsets.UTF_8);

        assertThat(output).as("the seed tables' partitions are printed")
                .contains("public.content_items_all  LIST (source_type)  2 partitions",
                        "  content_items_auto  FOR VALUES IN ('auto')",
                        "public.chat_messages  RANGE (created_at)  4 partitions",
                        "  claim_line_items_y2024m04  FOR VALUES FROM ('2024-04-01') TO ('2024-05-01')",
                        "  claims_production_y2026  FOR VALUES FROM ('2026-01-01') TO ('2027-01-01')",
                        "  generated_images_default  DEFAULT");
        assertThat(output.lines().filter(line -> line.contains(" -> predicted ")))
                .as("six sample rows, each stored where the model predicted")
                .hasSize(6)
                .allSatisfy(line -> assertThat(line).endsWith("agree"));
        assertThat(output).as("a 2031 image falls into the default partition")
                .contains("predicted generated_images_default");
    }
}
