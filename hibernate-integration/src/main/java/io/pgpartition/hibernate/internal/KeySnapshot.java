package io.pgpartition.hibernate.internal;

import org.hibernate.engine.spi.EntityEntry;
import org.hibernate.engine.spi.EntityEntryExtraState;
import org.hibernate.event.spi.PostInsertEvent;
import org.hibernate.event.spi.PostInsertEventListener;
import org.hibernate.event.spi.PostLoadEvent;
import org.hibernate.event.spi.PostLoadEventListener;
import org.hibernate.persister.entity.EntityPersister;
import org.hibernate.type.Type;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Copies of the mutable key values ({@code java.util.Date}, {@code Calendar}, arrays) of a persistent entity, taken
 * when it is loaded or inserted and kept with its {@link EntityEntry}. Hibernate copies only updatable attributes
 * into an entity's loaded state, and key attributes are not updatable, so without this copy a key changed in place
 * ({@code date.setTime(…)}) would look unchanged at flush and be dropped silently.
 */
final class KeySnapshot implements EntityEntryExtraState {

    private final Object[] values;
    private EntityEntryExtraState next;

    private KeySnapshot(Object[] values) {
        this.values = values;
    }

    /** The copy taken of the state position {@code index}, or {@code null} when none was taken there. */
    Object valueAt(int index) {
        return index < values.length ? values[index] : null;
    }

    @Override
    public void addExtraState(EntityEntryExtraState extraState) {
        if (next == null) {
            next = extraState;
        } else {
            next.addExtraState(extraState);
        }
    }

    @Override
    public <T extends EntityEntryExtraState> T getExtraState(Class<T> extraStateType) {
        if (next == null) {
            return null;
        }
        return extraStateType.isInstance(next) ? extraStateType.cast(next) : next.getExtraState(extraStateType);
    }

    /** Takes the copies after every load and insert of an entity whose key has a mutable type. */
    static final class Taker implements PostLoadEventListener, PostInsertEventListener {

        private static final int[] NONE = new int[0];

        private final Map<String, KeyAccess> byEntityName;
        /** Per entity name, the state positions of its key attributes of mutable types (most entities: none). */
        private final Map<String, int[]> mutableKeys = new java.util.concurrent.ConcurrentHashMap<>();

        Taker(Map<String, KeyAccess> byEntityName) {
            this.byEntityName = Map.copyOf(byEntityName);
        }

        @Override
        public void onPostLoad(PostLoadEvent event) {
            take(event.getPersister(), event.getEntity(), event.getSession().getPersistenceContextInternal().getEntry(event.getEntity()));
        }

        @Override
        public void onPostInsert(PostInsertEvent event) {
            take(event.getPersister(), event.getEntity(), event.getSession().getPersistenceContextInternal().getEntry(event.getEntity()));
        }

        private void take(EntityPersister persister, Object entity, EntityEntry entry) {
            KeyAccess access = byEntityName.get(persister.getEntityName());
            if (access == null || entry == null) {
                return;
            }
            int[] positions = mutableKeys.computeIfAbsent(persister.getEntityName(), name -> mutablePositions(persister, access));
            if (positions.length == 0) {
                return;
            }
            Type[] types = persister.getPropertyTypes();
            Object[] copies = new Object[types.length];
            for (int position : positions) {
                copies[position] = types[position].deepCopy(readAt(access, persister, position, entity), persister.getFactory());
            }
            entry.addExtraState(new KeySnapshot(copies));
        }

        private static int[] mutablePositions(EntityPersister persister, KeyAccess access) {
            List<String> names = Arrays.asList(persister.getPropertyNames());
            Type[] types = persister.getPropertyTypes();
            int[] positions = access.keys().stream().mapToInt(key -> names.indexOf(key.attribute()))
                    .filter(index -> index >= 0 && types[index].isMutable()).toArray();
            return positions.length == 0 ? NONE : positions;
        }

        private static Object readAt(KeyAccess access, EntityPersister persister, int position, Object entity) {
            String attribute = persister.getPropertyNames()[position];
            return access.keys().stream().filter(key -> key.attribute().equals(attribute)).findFirst().orElseThrow().read(entity);
        }

        @Override
        public boolean requiresPostCommitHandling(EntityPersister persister) {
            return false;
        }
    }
}
