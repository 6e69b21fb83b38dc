package io.pgpartition.spring.boot.bad;

import io.pgpartition.annotations.PartitionedBy;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.springframework.boot.autoconfigure.SpringBootApplication;

import java.time.LocalDate;

/** An application whose entity claims a partitioned table that is a plain table in the database. */
@SpringBootApplication
public class BadApplication {

    @Entity
    @Table(name = "generated_images")
    @PartitionedBy(range = "createdOn")
    public static class GeneratedImage {
        @Id
        public Long id;

        @Column(name = "created_on", nullable = false)
        public LocalDate createdOn;
    }
}
