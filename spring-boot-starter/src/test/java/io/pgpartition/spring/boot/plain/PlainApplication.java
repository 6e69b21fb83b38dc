package io.pgpartition.spring.boot.plain;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** An application without partitioned entities, on H2: pgpartition must leave it exactly as it is. */
@SpringBootApplication
public class PlainApplication {

    @Entity
    public static class Note {
        @Id
        public Long id;

        public String text;
    }
}
