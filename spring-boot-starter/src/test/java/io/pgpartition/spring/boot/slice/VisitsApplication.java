package io.pgpartition.spring.boot.slice;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/** An application like PetClinic: one partitioned entity, tested with {@code @DataJpaTest} on H2 and on PostgreSQL. */
@SpringBootApplication
public class VisitsApplication {
}
