package io.pgpartition.hibernate.internal.event;

import org.hibernate.engine.spi.SharedSessionContractImplementor;
import org.hibernate.persister.entity.EntityPersister;
import org.hibernate.type.Type;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A row named by an entity's identifier and its key attributes outside it, for the statements pgpartition writes
 * itself on a stateless session: the identifier's conditions, and the values bound through Hibernate's own types.
 */
final class KeyedRow {

    private KeyedRow() {
    }

    /** {@code id = ?} for each identifier column, as Hibernate names them. */
    static List<String> identifierConditions(EntityPersister persister) {
        List<String> conditions = new ArrayList<>();
        for (String column : persister.getIdentifierColumnNames()) {
            conditions.add(column + " = ?");
        }
        return conditions;
    }

    /**
     * Binds the identifier and then each key's value, from parameter 1 on, through the types Hibernate binds them
     * with (converters included); returns the next parameter's index.
     */
    static int bind(PreparedStatement statement, EntityPersister persister, Object id, List<KeyAccess.Key> keys, Object[] values,
                    SharedSessionContractImplementor session) throws SQLException {
        var metamodels = session.getFactory().getRuntimeMetamodels();
        int index = 1;
        persister.getIdentifierType().nullSafeSet(statement, id, index, session);
        index += persister.getIdentifierType().getColumnSpan(metamodels);
        List<String> names = Arrays.asList(persister.getPropertyNames());
        Type[] types = persister.getPropertyTypes();
        for (int i = 0; i < keys.size(); i++) {
            Type type = types[names.indexOf(keys.get(i).attribute())];
            type.nullSafeSet(statement, values[i], index, session);
            index += type.getColumnSpan(metamodels);
        }
        return index;
    }
}
