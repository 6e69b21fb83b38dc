package io.pgpartition.spring.boot.slice;

import io.pgpartition.annotations.PartitionedBy;
import io.pgpartition.annotations.RangePartitions;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.LocalDate;

/** A pet's visit, partitioned by year of its date, with a default partition. */
@Entity
@Table(name = "visits")
@PartitionedBy(range = "visitDate")
@RangePartitions(interval = "1 year", premake = 1, naming = "{table}_{yyyy}", defaultPartition = true)
public class Visit {

    @Id
    public Long id;

    @Column(name = "visit_date", nullable = false)
    public LocalDate visitDate;

    public String description;

    protected Visit() {
    }

    public Visit(Long id, LocalDate visitDate, String description) {
        this.id = id;
        this.visitDate = visitDate;
        this.description = description;
    }
}
