package io.pgpartition.hibernate;

import io.pgpartition.annotations.PartitionedBy;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.LocalDate;

/**
 * The entity {@link BuildTimeGuardTest} enhances. Top-level, unlike other test entities: the test defines its
 * enhanced copy in a class loader of its own, where a nested class could not reach its enclosing class.
 */
@Entity(name = "GuardedClaim")
@Table(name = "bb_claims")
@PartitionedBy(range = "serviceDate")
public class GuardedClaim {

    @Id
    Long id;

    @Column(name = "service_date", nullable = false)
    LocalDate serviceDate;

    public GuardedClaim() {
    }

    public void setId(Long id) {
        this.id = id;
    }

    public void setServiceDate(LocalDate serviceDate) {
        this.serviceDate = serviceDate;
    }

    public void postpone() {
        serviceDate = serviceDate.plusDays(1);
    }
}
