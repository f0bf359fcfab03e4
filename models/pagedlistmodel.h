#pragma once

#include "api/apierror.h"
#include "api/pager.h"
#include "api/platform.h"

#include <QAbstractTableModel>
#include <QDateTime>
#include <QHash>
#include <QPointer>

#include <algorithm>
#include <optional>

namespace sb::models {

//! Shared base of the list models: load state, paging generation, id→row index and roles.
//!
//! Subclasses derive from TypedListModel<T>, which owns the rows and the Pager<T>; this
//! non-template part carries everything moc has to see (the State enum and stateChanged()).
class PagedListModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Role {
        SortRole = Qt::UserRole + 1, //!< raw value for sorting (strings folded, times as ms)
        IdRole,
    };
    //! NotSupported: the platform has no such list (show the reason, hide the list); not an error.
    enum class State { Idle, Loading, Loaded, Failed, NotSupported };
    Q_ENUM(State)

    ~PagedListModel() override;

    //! Forgets the current rows and pulls every page from \a platform (Interactive lane).
    void load(sb::api::Platform *platform);
    //! Loads again from the same platform (after a failure, on request, or new parameters).
    //! Pages of the load it replaces are ignored.
    void reload();
    //! Drops the rows and any load in flight; the state becomes Idle.
    void clear();

    sb::api::Platform *platform() const { return m_platform; }
    State state() const { return m_state; }
    //! Why the last load failed (Failed), or the NotSupported error (NotSupported).
    sb::api::ApiError lastError() const { return m_error; }
    //! Translated reason while state() is NotSupported, else empty.
    QString notSupportedReason() const;
    //! When the last load completed (UTC); invalid before.
    QDateTime loadedAt() const { return m_loadedAt; }
    //! Items per request (1–100, default 100); takes effect on the next load.
    void setPageSize(int size);
    int pageSize() const { return m_pageSize; }

    //! Row of the item with \a id, or -1.
    int rowOf(const QString &id) const { return m_rowById.value(id, -1); }
    //! Removes the item with \a id (no-op when absent); rows after it move up.
    void remove(const QString &id);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

Q_SIGNALS:
    void stateChanged(sb::models::PagedListModel::State state);

protected:
    PagedListModel(int columnCount, QObject *parent);

    // The typed layer (TypedListModel<T>).
    virtual int itemCount() const = 0;
    virtual QString idAt(int row) const = 0;
    virtual void clearItems() = 0;
    virtual void removeItemAt(int row) = 0;
    virtual void startPaging(sb::api::Platform *platform) = 0;
    virtual void fetchNextPage() = 0;

    // The concrete model.
    //! Any role but IdRole for a valid cell.
    virtual QVariant cellData(int row, int column, int role) const = 0;
    virtual QString headerText(int section) const = 0;
    //! A capability the platform must have; without it the model is NotSupported at once.
    virtual std::optional<sb::api::Platform::Capability> requiredCapability() const
    {
        return std::nullopt;
    }
    //! False while parameters are missing (a document list without a collection): load → Idle.
    virtual bool canLoad() const { return true; }

    quint64 generation() const { return m_generation; }
    //! The page request in flight, canceled when a reload replaces it.
    void setInFlight(sb::api::PendingRequest *request) { m_inFlight = request; }
    void pageLoaded(int itemsInPage);
    void loadingFinished();
    void loadingFailed(const sb::api::ApiError &error);
    void indexRow(const QString &id, int row) { m_rowById.insert(id, row); }
    void indexRows(int fromRow);
    //! One dataChanged over the whole row.
    void emitRowChanged(int row);

    // Formatting shared by the models.
    static QVariant timeValue(const QDateTime &time, bool raw);
    static QVariant textValue(const QString &text, bool raw);

private:
    void cancelLoading();
    void setState(State state);

    QPointer<sb::api::Platform> m_platform;
    QPointer<sb::api::PendingRequest> m_inFlight;
    QHash<QString, int> m_rowById;
    State m_state = State::Idle;
    sb::api::ApiError m_error;
    QDateTime m_loadedAt;
    quint64 m_generation = 0; //!< a reload ignores pages of the load it replaced
    int m_pages = 0;
    int m_pageSize = 100;
    const int m_columnCount;
};

//! The typed half of a list model: rows of T (with a QString `id`), paged in from a Pager<T>.
template<class T> class TypedListModel : public PagedListModel
{
public:
    const T &itemAt(int row) const { return m_items.at(row); }
    const QList<T> &items() const { return m_items; }

    //! Inserts \a item at the end, or updates it in place (one dataChanged, no reset).
    void upsert(const T &item)
    {
        const int row = rowOf(item.id);
        if (row >= 0) {
            m_items[row] = item;
            emitRowChanged(row);
            return;
        }
        const int at = int(m_items.size());
        beginInsertRows({}, at, at);
        m_items.append(item);
        indexRow(item.id, at);
        endInsertRows();
    }

protected:
    using PagedListModel::PagedListModel;

    virtual sb::api::Pager<T> makePager(sb::api::Platform *platform, int pageSize) = 0;

private:
    int itemCount() const final { return int(m_items.size()); }
    QString idAt(int row) const final { return m_items.at(row).id; }
    void clearItems() final { m_items.clear(); }
    void removeItemAt(int row) final { m_items.removeAt(row); }
    void startPaging(sb::api::Platform *platform) final
    {
        m_pager = makePager(platform, pageSize());
    }

    void fetchNextPage() final
    {
        auto reply = m_pager.fetchNext();
        if (!reply.isValid()) {
            loadingFinished();
            return;
        }
        setInFlight(reply.request());
        const quint64 started = generation();
        reply.onFinished(this, [this, started](const sb::api::Result<sb::api::Page<T>> &result) {
            if (started != generation())
                return;
            setInFlight(nullptr);
            if (!result.ok()) {
                loadingFailed(result.error());
                return;
            }
            appendPage(result.value().items);
            if (m_pager.hasMore())
                fetchNextPage();
            else
                loadingFinished();
        });
    }

    void appendPage(const QList<T> &page)
    {
        pageLoaded(int(page.size()));
        // A page may repeat an item we already hold (upserted, or moved between pages by an
        // insert on the server): update it in place instead of adding a duplicate.
        QList<T> fresh;
        for (const T &item : page) {
            if (rowOf(item.id) >= 0)
                upsert(item);
            else if (std::none_of(fresh.cbegin(), fresh.cend(),
                                  [&](const T &f) { return f.id == item.id; }))
                fresh.append(item);
        }
        if (fresh.isEmpty())
            return;
        const int first = int(m_items.size());
        beginInsertRows({}, first, first + int(fresh.size()) - 1);
        m_items.append(fresh);
        indexRows(first);
        endInsertRows();
    }

    sb::api::Pager<T> m_pager;
    QList<T> m_items;
};

} // namespace sb::models
