package io.pgpartition.spring.boot.good;

import io.pgpartition.annotations.PartitionedBy;
import io.pgpartition.annotations.RangePartitions;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.LocalDate;

/** Seed 004's claim line items: monthly by service date, with a default partition. */
@Entity
@Table(name = "claim_line_items")
@PartitionedBy(range = "serviceDate")
@RangePartitions(interval = "1 month", premake = 1, naming = "{table}_y{yyyy}m{MM}", defaultPartition = true)
public class ClaimLineItem {

    @Id
    public Long id;

    @Column(name = "service_date", nullable = false)
    public LocalDate serviceDate;
}
