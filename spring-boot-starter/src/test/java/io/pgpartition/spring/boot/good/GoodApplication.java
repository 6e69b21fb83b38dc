package io.pgpartition.spring.boot.good;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/** An application with two partitioned entities whose tables schema generation creates. */
@SpringBootApplication
public class GoodApplication {
}
