package io.pgpartition.spring.boot.two;

import io.pgpartition.spring.boot.good.ChatMessage;
import io.pgpartition.spring.boot.good.ClaimLineItem;
import org.hibernate.jpa.HibernatePersistenceProvider;
import org.postgresql.ds.PGSimpleDataSource;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.core.env.Environment;
import org.springframework.orm.jpa.LocalContainerEntityManagerFactoryBean;

import java.util.Map;

/** An application with two persistence units of its own (the first primary), one per partitioned entity, on one database. */
@SpringBootConfiguration
@EnableAutoConfiguration
public class TwoUnitsApplication {

    @Bean
    PGSimpleDataSource dataSource(Environment environment) {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setUrl(environment.getRequiredProperty("spring.datasource.url"));
        dataSource.setUser(environment.getProperty("spring.datasource.username"));
        dataSource.setPassword(environment.getProperty("spring.datasource.password"));
        return dataSource;
    }

    @Bean
    @Primary
    LocalContainerEntityManagerFactoryBean entityManagerFactory(PGSimpleDataSource dataSource) {
        return unit("chat", dataSource, ChatMessage.class);
    }

    @Bean
    LocalContainerEntityManagerFactoryBean claimsUnit(PGSimpleDataSource dataSource) {
        return unit("claims", dataSource, ClaimLineItem.class);
    }

    private static LocalContainerEntityManagerFactoryBean unit(String name, PGSimpleDataSource dataSource, Class<?> entity) {
        LocalContainerEntityManagerFactoryBean factory = new LocalContainerEntityManagerFactoryBean();
        factory.setPersistenceUnitName(name);
        factory.setDataSource(dataSource);
        factory.setPersistenceProviderClass(HibernatePersistenceProvider.class);
        factory.setManagedTypes(org.springframework.orm.jpa.persistenceunit.PersistenceManagedTypes.of(entity.getName()));
        factory.setJpaPropertyMap(Map.of("hibernate.hbm2ddl.auto", "create", "pgpartition.maintenance", "apply"));
        return factory;
    }
}
