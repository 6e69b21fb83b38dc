package io.pgpartition.hibernate.internal.event;

import org.hibernate.engine.spi.EntityEntry;
import org.hibernate.engine.spi.EntityEntryExtraState;
import org.hibernate.event.spi.PostInsertEvent;
import org.hibernate.event.spi.PostInsertEventListener;
import org.hibernate.event.spi.PostLoadEvent;
import org.hibernate.event.spi.PostLoadEventListener;
import org.hibernate.persister.entity.EntityPersister;
import org.hibernate.type.Type;

import java.util.Map;

/**
 * Copies of the mutable key values ({@code java.util.Date}, {@code Calendar}, arrays) of a persistent entity, taken
 * when it is loaded or inserted and kept with its {@link EntityEntry}. Hibernate copies only updatable attributes
 * into an entity's loaded state, and key attributes are not updatable, so without this copy a key changed in place
 * ({@code date.setTime(…)}) would look unchanged at flush and be dropped silently.
 */
public final class KeySnapshot implements EntityEntryExtraState {

    private final Object[] values;
    /** Copies of the key attributes inside an {@code @EmbeddedId}, by position in {@link KeyAccess#allKeys()}. */
    private final Object[] identifierKeys;
    /** A copy of the identifier as loaded, when a key is inside it: for messages, the identifier object itself may change. */
    private final Object identifier;
    private EntityEntryExtraState next;

    private KeySnapshot(Object[] values, Object[] identifierKeys, Object identifier) {
        this.values = values;
        this.identifierKeys = identifierKeys;
        this.identifier = identifier;
    }

    /** The identifier as loaded, when a key is inside it; otherwise null. */
    Object identifier() {
        return identifier;
    }

    /** The copy taken of the state position {@code index}, or {@code null} when none was taken there. */
    Object valueAt(int index) {
        return index < values.length ? values[index] : null;
    }

    /**
     * The copy taken of the key at position {@code key} of {@link KeyAccess#allKeys()} inside an {@code @EmbeddedId},
     * or {@code null} when none was taken: Hibernate keeps the identifier object itself, so a key changed inside it
     * ({@code entity.id.postedOn = …}) is the same object at flush, and would be dropped silently.
     */
    Object identifierKeyAt(int key) {
        return key < identifierKeys.length ? identifierKeys[key] : null;
    }

    /** Whether any key inside an {@code @EmbeddedId} was copied. */
    boolean hasIdentifierKeys() {
        return identifierKeys.length > 0;
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

    /** The type of a key attribute inside the entity's {@code @EmbeddedId}. */
    static Type identifierType(EntityPersister persister, KeyAccess.Key key) {
        org.hibernate.type.ComponentType id = (org.hibernate.type.ComponentType) persister.getIdentifierType();
        String member = key.attribute().substring(key.attribute().indexOf('.') + 1);
        return id.getSubtypes()[java.util.Arrays.asList(id.getPropertyNames()).indexOf(member)];
    }

    /** Takes the copies after every load and insert of an entity whose key has a mutable type or is inside an {@code @EmbeddedId}. */
    public static final class Taker implements PostLoadEventListener, PostInsertEventListener {

        /**
         * The keys (by position in {@link KeyAccess#allKeys()}) stored with a mutable type, every key's state index, and
         * the keys inside an {@code @EmbeddedId}.
         */
        private record MutableKeys(int[] keys, int[] stateIndexes, int[] inEmbeddedId) {
        }

        private static final MutableKeys NONE = new MutableKeys(new int[0], new int[0], new int[0]);

        private final Map<String, KeyAccess> byEntityName;
        /** Per entity name, the state positions of its key attributes of mutable types (most entities: none). */
        private final Map<String, MutableKeys> mutableKeys = new java.util.concurrent.ConcurrentHashMap<>();

        public Taker(Map<String, KeyAccess> byEntityName) {
            this.byEntityName = Map.copyOf(byEntityName);
        }

        /**
         * Whether any of the keys needs copies: one stored with a mutable type or inside an {@code @EmbeddedId}. When
         * none does, the taker is not registered, and Hibernate creates no post-insert or post-load event for it. Where
         * the mapping cannot answer, it is needed.
         */
        public static boolean neededFor(org.hibernate.boot.Metadata metadata, java.util.Collection<KeyAccess> accesses) {
            for (KeyAccess access : accesses) {
                for (KeyAccess.Key key : access.allKeys()) {
                    if (key.identifierGetter() != null || mutable(metadata, access.entityName(), key.attribute())) {
                        return true;
                    }
                }
            }
            return false;
        }

        private static boolean mutable(org.hibernate.boot.Metadata metadata, String entityName, String attribute) {
            try {
                org.hibernate.mapping.PersistentClass binding = metadata.getEntityBinding(entityName);
                return binding == null || binding.getRecursiveProperty(attribute).getType().isMutable();
            } catch (RuntimeException unanswerable) {
                return true;
            }
        }

        @Override
        public void onPostLoad(PostLoadEvent event) {
            take(event.getPersister(), event.getEntity(), event.getSession());
        }

        @Override
        public void onPostInsert(PostInsertEvent event) {
            take(event.getPersister(), event.getEntity(), event.getSession());
        }

        private void take(EntityPersister persister, Object entity, org.hibernate.engine.spi.SharedSessionContractImplementor session) {
            KeyAccess access = byEntityName.get(persister.getEntityName());
            if (access == null) {
                return;
            }
            MutableKeys mutable = mutableKeys.computeIfAbsent(persister.getEntityName(), name -> mutableKeys(persister, access));
            if (mutable.keys().length == 0 && mutable.inEmbeddedId().length == 0) {
                return;
            }
            EntityEntry entry = session.getPersistenceContextInternal().getEntry(entity);
            if (entry == null) {
                return;
            }
            Type[] types = persister.getPropertyTypes();
            int[] indexes = mutable.stateIndexes();
            Object[] copies = new Object[types.length];
            for (int k : mutable.keys()) {
                copies[indexes[k]] = types[indexes[k]].deepCopy(access.allKeys().get(k).read(entity), persister.getFactory());
            }
            Object[] identifierKeys = new Object[mutable.inEmbeddedId().length == 0 ? 0 : access.allKeys().size()];
            for (int k : mutable.inEmbeddedId()) {
                KeyAccess.Key key = access.allKeys().get(k);
                identifierKeys[k] = identifierType(persister, key).deepCopy(key.read(entity), persister.getFactory());
            }
            Object identifier = identifierKeys.length == 0 ? null
                    : persister.getIdentifierType().deepCopy(entry.getId(), persister.getFactory());
            entry.addExtraState(new KeySnapshot(copies, identifierKeys, identifier));
        }

        private static MutableKeys mutableKeys(EntityPersister persister, KeyAccess access) {
            int[] indexes = access.stateIndexes(persister);
            Type[] types = persister.getPropertyTypes();
            int[] keys = java.util.stream.IntStream.range(0, indexes.length)
                    .filter(k -> indexes[k] >= 0 && types[indexes[k]].isMutable()).toArray();
            int[] inEmbeddedId = java.util.stream.IntStream.range(0, indexes.length)
                    .filter(k -> access.allKeys().get(k).identifierGetter() != null).toArray();
            return keys.length == 0 && inEmbeddedId.length == 0 ? NONE : new MutableKeys(keys, indexes, inEmbeddedId);
        }

        @Override
        public boolean requiresPostCommitHandling(EntityPersister persister) {
            return false;
        }
    }
}
