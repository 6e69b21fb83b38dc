package io.pgpartition.spring.boot.scheduled;

import io.pgpartition.annotations.PartitionedBy;
import io.pgpartition.annotations.RangePartitions;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.scheduling.annotation.EnableScheduling;

import java.time.LocalDate;

/** An application with Spring's scheduling enabled, so that maintenance runs as one of its scheduled tasks. */
@SpringBootApplication
@EnableScheduling
public class ScheduledApplication {

    /** Seed 002's event impressions: monthly, three months ahead. */
    @Entity
    @Table(name = "event_impressions")
    @PartitionedBy(range = "shownOn")
    @RangePartitions(interval = "1 month", premake = 3)
    public static class EventImpression {
        @Id
        public Long id;

        @Column(name = "shown_on", nullable = false)
        public LocalDate shownOn;
    }
}
