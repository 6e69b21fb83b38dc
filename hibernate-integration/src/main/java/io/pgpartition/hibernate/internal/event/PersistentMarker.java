package io.pgpartition.hibernate.internal.event;

import io.pgpartition.hibernate.enhance.PartitionKeyGuarded;
import org.hibernate.event.spi.PostInsertEvent;
import org.hibernate.event.spi.PostInsertEventListener;
import org.hibernate.event.spi.PostLoadEvent;
import org.hibernate.event.spi.PostLoadEventListener;
import org.hibernate.persister.entity.EntityPersister;

/**
 * Tells entities enhanced by the build-time guard that they are persistent, once inserted or loaded.
 */
public final class PersistentMarker implements PostInsertEventListener, PostLoadEventListener {

    public static final PersistentMarker INSTANCE = new PersistentMarker();

    /**
     * Whether some entity class of the unit was enhanced by the build-time guard; when none was, the marker is not
     * registered and Hibernate creates no post-insert or post-load event for it. Where a class cannot be told, it is.
     */
    public static boolean neededFor(org.hibernate.boot.Metadata metadata) {
        for (org.hibernate.mapping.PersistentClass binding : metadata.getEntityBindings()) {
            try {
                Class<?> mapped = binding.getMappedClass();
                if (mapped != null && PartitionKeyGuarded.class.isAssignableFrom(mapped)) {
                    return true;
                }
            } catch (RuntimeException unanswerable) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void onPostInsert(PostInsertEvent event) {
        mark(event.getEntity());
    }

    @Override
    public void onPostLoad(PostLoadEvent event) {
        mark(event.getEntity());
    }

    private static void mark(Object entity) {
        if (entity instanceof PartitionKeyGuarded guarded) {
            guarded.$$_pgpartition_markPersistent();
        }
    }

    @Override
    public boolean requiresPostCommitHandling(EntityPersister persister) {
        return false;
    }
}
