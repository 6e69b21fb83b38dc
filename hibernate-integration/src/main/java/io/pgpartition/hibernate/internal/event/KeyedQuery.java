package io.pgpartition.hibernate.internal.event;

import java.util.List;

/** The query that loads an entity by its identifier and its partition key, so that PostgreSQL reads one partition. */
public final class KeyedQuery {

    private KeyedQuery() {
    }

    /**
     * {@code select e from Entity e where id(e) = :id and e.key = :key0 ...}: parameters {@code id}, then {@code key0},
     * {@code key1}... in the order of {@code keyAttributes}.
     */
    public static String text(String entity, List<String> keyAttributes) {
        StringBuilder hql = new StringBuilder("select e from ").append(entity).append(" e where id(e) = :id");
        for (int i = 0; i < keyAttributes.size(); i++) {
            hql.append(" and e.").append(keyAttributes.get(i)).append(" = :").append(parameter(i));
        }
        return hql.toString();
    }

    /** The name of the query parameter of the key attribute at {@code index}. */
    public static String parameter(int index) {
        return "key" + index;
    }
}
