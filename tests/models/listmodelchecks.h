#pragma once

// Checks shared by the list-model tests (AgentListModel and the models in tst_listmodels).
// Each is a void function using QtTest macros: the caller checks QTest::currentTestFailed().

#include "api/platform.h"
#include "api/session.h"
#include "models/pagedlistmodel.h"

#include <QAbstractItemModelTester>
#include <QSet>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QTest>

#include <memory>

namespace sb::test {

using sb::models::PagedListModel;

//! A Session and Talknex platform on one key.
struct Client
{
    Client(const QUrl &baseUrl, const QString &key)
        : session(std::make_unique<sb::api::Session>())
    {
        ok = !session->setBaseUrl(baseUrl).isError();
        session->setApiKey(key);
        platform =
            sb::api::createPlatform(sb::api::PlatformKind::Talknex, session.get(), session.get());
    }
    std::unique_ptr<sb::api::Session> session;
    sb::api::Platform *platform = nullptr;
    bool ok = false;
};

inline bool waitForState(const PagedListModel &model, PagedListModel::State state,
                         int timeoutMs = 30000)
{
    return QTest::qWaitFor([&] { return model.state() == state; }, timeoutMs);
}

inline QStringList idsOf(const QAbstractItemModel &model)
{
    QStringList ids;
    for (int row = 0; row < model.rowCount(); ++row)
        ids.append(model.index(row, 0).data(PagedListModel::IdRole).toString());
    return ids;
}

//! rowOf() agrees with every row, and no id appears twice.
inline void verifyIdIndex(const PagedListModel &model)
{
    const QStringList ids = idsOf(model);
    QCOMPARE(QSet<QString>(ids.cbegin(), ids.cend()).size(), ids.size());
    for (int row = 0; row < ids.size(); ++row)
        QCOMPARE(model.rowOf(ids.at(row)), row);
}

//! Every column has a header, and a proxy sorting on SortRole (itself under the tester) orders
//! each column in both directions consistently with the raw values.
inline void verifySortByEveryColumn(PagedListModel &model)
{
    QSortFilterProxyModel proxy;
    proxy.setSortRole(PagedListModel::SortRole);
    proxy.setSourceModel(&model);
    QAbstractItemModelTester tester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QVERIFY(model.rowCount() > 1);
    for (int column = 0; column < model.columnCount(); ++column) {
        QVERIFY2(!model.headerData(column, Qt::Horizontal).toString().isEmpty(),
                 qPrintable(QString::number(column)));
        for (const Qt::SortOrder order : {Qt::AscendingOrder, Qt::DescendingOrder}) {
            proxy.sort(column, order);
            QCOMPARE(proxy.rowCount(), model.rowCount());
            for (int row = 1; row < proxy.rowCount(); ++row) {
                const QVariant a = proxy.index(row - 1, column).data(PagedListModel::SortRole);
                const QVariant b = proxy.index(row, column).data(PagedListModel::SortRole);
                const QString where = QStringLiteral("column %1 row %2: %3 / %4")
                                          .arg(column)
                                          .arg(row)
                                          .arg(a.toString(), b.toString());
                QVERIFY2(a.isValid() && a.metaType() == b.metaType(), qPrintable(where));
                const QPartialOrdering c = QVariant::compare(a, b);
                QVERIFY2(c != QPartialOrdering::Unordered, qPrintable(where));
                QVERIFY2(order == Qt::AscendingOrder ? c != QPartialOrdering::Greater
                                                     : c != QPartialOrdering::Less,
                         qPrintable(where));
            }
        }
    }
}

//! upsert() of an existing item (changed by \a mutate) emits exactly one dataChanged for its
//! row, no reset and no insert; the cell at \a column then shows \a expected.
template<class Model, class Mutate>
void verifyUpsertInPlace(Model &model, int row, Mutate mutate, int column, const QString &expected)
{
    QSignalSpy resets(&model, &QAbstractItemModel::modelReset);
    QSignalSpy inserts(&model, &QAbstractItemModel::rowsInserted);
    QSignalSpy changes(&model, &QAbstractItemModel::dataChanged);
    const int rows = model.rowCount();
    auto item = model.itemAt(row);
    mutate(item);
    model.upsert(item);
    QCOMPARE(resets.count(), 0);
    QCOMPARE(inserts.count(), 0);
    QCOMPARE(changes.count(), 1);
    QCOMPARE(changes.first().at(0).toModelIndex().row(), row);
    QCOMPARE(changes.first().at(1).toModelIndex().row(), row);
    QCOMPARE(model.rowCount(), rows);
    QCOMPARE(model.index(row, column).data().toString(), expected);
    QCOMPARE(model.rowOf(item.id), row);
}

//! upsert() of a new id appends one row; remove() takes it (and another row) out again and
//! keeps the id index right.
template<class Model> void verifyInsertAndRemove(Model &model, const QString &newId)
{
    const int rows = model.rowCount();
    QVERIFY(rows > 3);
    auto item = model.itemAt(0);
    item.id = newId;
    QSignalSpy inserts(&model, &QAbstractItemModel::rowsInserted);
    QSignalSpy resets(&model, &QAbstractItemModel::modelReset);
    model.upsert(item);
    QCOMPARE(inserts.count(), 1);
    QCOMPARE(model.rowCount(), rows + 1);
    QCOMPARE(model.rowOf(newId), rows);

    QSignalSpy removes(&model, &QAbstractItemModel::rowsRemoved);
    const QString middle = model.itemAt(2).id;
    model.remove(middle);
    QCOMPARE(removes.count(), 1);
    QCOMPARE(removes.first().at(1).toInt(), 2);
    QCOMPARE(model.rowOf(middle), -1);
    QCOMPARE(model.rowOf(newId), rows - 1);
    model.remove(middle); // absent: nothing happens
    QCOMPARE(removes.count(), 1);
    model.remove(newId);
    QCOMPARE(model.rowCount(), rows - 1);
    QCOMPARE(resets.count(), 0);
    verifyIdIndex(model);
}

//! A reload while pages of the previous load are still coming: the final rows are exactly
//! \a fullListing, once each. Covers a reload right after the start and one after the first page.
inline void verifyReloadIgnoresStalePages(PagedListModel &model, const QStringList &fullListing)
{
    const QSet<QString> expected(fullListing.cbegin(), fullListing.cend());
    QCOMPARE(expected.size(), fullListing.size());

    model.reload();
    QCOMPARE(model.state(), PagedListModel::State::Loading);
    model.reload(); // the first page of the previous load is still in flight
    QVERIFY(waitForState(model, PagedListModel::State::Loaded));
    QStringList ids = idsOf(model);
    QCOMPARE(ids.size(), fullListing.size());
    QCOMPARE(QSet<QString>(ids.cbegin(), ids.cend()), expected);

    model.reload();
    QVERIFY(QTest::qWaitFor([&] { return model.rowCount() > 0; }, 30000));
    QVERIFY2(model.state() == PagedListModel::State::Loading,
             "the listing should take more than one page for this check");
    model.reload(); // the second page of the previous load is in flight now
    QCOMPARE(model.rowCount(), 0);
    QVERIFY(waitForState(model, PagedListModel::State::Loaded));
    ids = idsOf(model);
    QCOMPARE(ids.size(), fullListing.size());
    QCOMPARE(QSet<QString>(ids.cbegin(), ids.cend()), expected);
    verifyIdIndex(model);
}

} // namespace sb::test
