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
