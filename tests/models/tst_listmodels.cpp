#include "listmodelchecks.h"
#include "models/agentlistmodel.h"
#include "models/collectionmodel.h"
#include "models/contactmodel.h"
#include "models/documentmodel.h"
#include "models/listfilterproxy.h"
#include "models/phonenumbermodel.h"
#include "simulatorprocess.h"
#include "testsupport.h"

#include <QJsonArray>
#include <QJsonObject>

using namespace sb::api;
using namespace sb::models;
using sb::test::Client;
using sb::test::waitForState;
using State = PagedListModel::State;

namespace {
constexpr auto Tester = QAbstractItemModelTester::FailureReportingMode::QtTest;
}

//! Phone numbers, contacts, collections and documents from the real simulator, under the tester.
class TestListModels : public QObject
{
    Q_OBJECT
    sb::app::SimulatorProcess m_sim;

    Client client(const QString &key = {}) const
    {
        return Client(m_sim.baseUrl(), key.isEmpty() ? m_sim.key() : key);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(m_sim.start({QStringLiteral("--history-calls"), QStringLiteral("20"),
                              QStringLiteral("--rate-limit"), QStringLiteral("100000")}),
                 qPrintable(m_sim.errorString()));
    }

    void phoneNumbers()
    {
        Client c = client();
        AgentListModel agents;
        agents.load(c.platform);
        PhoneNumberModel model;
        QAbstractItemModelTester tester(&model, Tester);
        model.load(c.platform);
        QVERIFY(waitForState(model, State::Loaded));
        QVERIFY(waitForState(agents, State::Loaded));
        QVERIFY(model.rowCount() >= 4);
        sb::test::verifyIdIndex(model);

        // Without a lookup the agent column shows ids; with one, names (one column-wide change).
        QSignalSpy changes(&model, &QAbstractItemModel::dataChanged);
        model.setAgentNameLookup([&agents](const QString &id) {
            const int row = agents.rowOf(id);
            return row < 0 ? QString() : agents.agentAt(row).name;
        });
        QCOMPARE(changes.count(), 1);
        QCOMPARE(changes.first().at(0).toModelIndex().column(), int(PhoneNumberModel::Agent));
        QCOMPARE(changes.first().at(1).toModelIndex().column(), int(PhoneNumberModel::Agent));
        int assigned = 0;
        int unassigned = 0;
        for (int row = 0; row < model.rowCount(); ++row) {
            const PhoneNumber &number = model.numberAt(row);
            const QString agentCell = model.index(row, PhoneNumberModel::Agent).data().toString();
            if (number.agentId.isEmpty()) {
                ++unassigned;
                QCOMPARE(agentCell, PhoneNumberModel::tr("Unassigned"));
            } else {
                ++assigned;
                QCOMPARE(agentCell, agents.agentAt(agents.rowOf(number.agentId)).name);
            }
            QCOMPARE(model.index(row, PhoneNumberModel::Number).data().toString(), number.number);
            QCOMPARE(model.index(row, PhoneNumberModel::Created).data(PagedListModel::SortRole),
                     QVariant(number.createdAt.toMSecsSinceEpoch()));
            QVERIFY(!model.index(row, PhoneNumberModel::Status).data().toString().isEmpty());
            QVERIFY(!model.index(row, PhoneNumberModel::Routing).data().toString().isEmpty());
        }
        QVERIFY(assigned > 0);
        QVERIFY(unassigned > 0);

        sb::test::verifySortByEveryColumn(model);
        if (QTest::currentTestFailed())
            return;
        const QString name = QStringLiteral("Front desk");
        sb::test::verifyUpsertInPlace(
            model, 1, [&](PhoneNumber &n) { n.friendlyName = name; },
            PhoneNumberModel::FriendlyName, name);
        if (QTest::currentTestFailed())
            return;
        sb::test::verifyInsertAndRemove(model, QStringLiteral("pn_local_only"));
    }

    void contacts()
    {
        Client c = client();
        ContactModel model;
        QAbstractItemModelTester tester(&model, Tester);
        model.load(c.platform);
        QVERIFY(waitForState(model, State::Loaded));
        QVERIFY(model.rowCount() > 100); // more than one page of 100
        sb::test::verifyIdIndex(model);
        for (int row = 0; row < model.rowCount(); ++row) {
            const Contact &contact = model.contactAt(row);
            QCOMPARE(model.index(row, ContactModel::CustomFields).data(PagedListModel::SortRole),
                     QVariant(int(contact.customFields.size())));
            if (!contact.customFields.isEmpty()) {
                QVERIFY(!model.index(row, ContactModel::CustomFields).data().toString().isEmpty());
                QVERIFY(model.index(row, ContactModel::CustomFields)
                            .data(Qt::ToolTipRole)
                            .toString()
                            .contains(contact.customFields.firstKey()));
            }
        }
        sb::test::verifySortByEveryColumn(model);
        if (QTest::currentTestFailed())
            return;
        const QString company = QStringLiteral("Renamed Inc.");
        sb::test::verifyUpsertInPlace(
            model, 5, [&](Contact &k) { k.company = company; }, ContactModel::Company, company);
        if (QTest::currentTestFailed())
            return;
        sb::test::verifyInsertAndRemove(model, QStringLiteral("contact_local_only"));
    }

    void contactSearchReloadsFromTheServer()
    {
        Client c = client();
        ContactModel model;
        QAbstractItemModelTester tester(&model, Tester);
        model.load(c.platform);
        QVERIFY(waitForState(model, State::Loaded));
        const int all = model.rowCount();
        const Contact sample = model.contactAt(7);
        QString tag;
        for (int row = 0; row < model.rowCount() && tag.isEmpty(); ++row)
            tag = model.contactAt(row).tags.value(0);
        QVERIFY(!tag.isEmpty());
        const QString query = sample.name.section(QLatin1Char(' '), -1).toUpper(); // last name

        QSignalSpy states(&model, &ContactModel::stateChanged);
        model.setSearch(query, QString());
        QCOMPARE(model.state(), State::Loading);
        QVERIFY(waitForState(model, State::Loaded));
        QVERIFY(model.rowCount() > 0);
        QVERIFY(model.rowCount() < all);
        QVERIFY(model.rowOf(sample.id) >= 0);
        for (int row = 0; row < model.rowCount(); ++row) {
            const Contact &k = model.contactAt(row);
            const QString hay = k.name + k.email + k.company + k.phone;
            QVERIFY2(hay.contains(query, Qt::CaseInsensitive), qPrintable(k.id));
        }

        model.setSearch(QString(), tag);
        QVERIFY(waitForState(model, State::Loaded));
        QVERIFY(model.rowCount() > 0);
        QVERIFY(model.rowCount() < all);
        for (int row = 0; row < model.rowCount(); ++row)
            QVERIFY(model.contactAt(row).tags.contains(tag));
        QCOMPARE(model.query(), QString());
        QCOMPARE(model.tag(), tag);

        // The same parameters again: no request, no state change.
        states.clear();
        model.setSearch(QString(), tag);
        QCOMPARE(states.count(), 0);

        model.setSearch(QString(), QString());
        QVERIFY(waitForState(model, State::Loaded));
        QCOMPARE(model.rowCount(), all);
    }

    void contactReloadIgnoresStalePages()
    {
        Client c = client();
        ContactModel reference;
        reference.load(c.platform);
        QVERIFY(waitForState(reference, State::Loaded));
        ContactModel model;
        QAbstractItemModelTester tester(&model, Tester);
        model.setPageSize(60);
        model.load(c.platform);
        QVERIFY(waitForState(model, State::Loaded));
        QCOMPARE(sb::test::idsOf(model), sb::test::idsOf(reference));
        sb::test::verifyReloadIgnoresStalePages(model, sb::test::idsOf(reference));
    }

    void collectionsAndTheirDocuments()
    {
        Client c = client();
        CollectionModel collections;
        QAbstractItemModelTester tester(&collections, Tester);
        collections.load(c.platform);
        QVERIFY(waitForState(collections, State::Loaded));
        QVERIFY(collections.rowCount() >= 2);
        sb::test::verifyIdIndex(collections);
        sb::test::verifySortByEveryColumn(collections);
        if (QTest::currentTestFailed())
            return;

        DocumentModel documents;
        QAbstractItemModelTester documentTester(&documents, Tester);
        documents.load(c.platform); // no collection yet: nothing to load
        QCOMPARE(documents.state(), State::Idle);
        QStringList seen;
        for (int row = 0; row < collections.rowCount(); ++row) {
            const KnowledgeCollection &collection = collections.collectionAt(row);
            documents.setCollectionId(collection.id);
            QCOMPARE(documents.state(), State::Loading);
            QVERIFY(waitForState(documents, State::Loaded));
            QCOMPARE(documents.rowCount(), collection.documentCount);
            sb::test::verifyIdIndex(documents);
            for (int d = 0; d < documents.rowCount(); ++d) {
                const Document &document = documents.documentAt(d);
                QVERIFY(!seen.contains(document.id));
                seen.append(document.id);
                QCOMPARE(documents.index(d, DocumentModel::Size).data(PagedListModel::SortRole),
                         QVariant(document.sizeBytes));
                const QString size = documents.index(d, DocumentModel::Size).data().toString();
                QVERIFY2(size != QString::number(document.sizeBytes), qPrintable(size));
                QCOMPARE(documents.index(d, DocumentModel::Status).data().toString(),
                         DocumentModel::tr("Ready"));
            }
        }
        sb::test::verifySortByEveryColumn(documents);
        if (QTest::currentTestFailed())
            return;
        const QString title = QStringLiteral("renamed.md");
        sb::test::verifyUpsertInPlace(
            documents, 0,
            [&](Document &d) {
                d.title = title;
                d.status = DocumentStatus::Processing;
            },
            DocumentModel::Title, title);
        QCOMPARE(documents.index(0, DocumentModel::Status).data().toString(),
                 DocumentModel::tr("Processing"));

        documents.setCollectionId(QString());
        QCOMPARE(documents.state(), State::Idle);
        QCOMPARE(documents.rowCount(), 0);
    }

    void documentListNotOfferedIsNotSupported()
    {
        Client c = client();
        CollectionModel collections;
        collections.load(c.platform);
        QVERIFY(waitForState(collections, State::Loaded));
        const QString id = collections.collectionAt(0).id;
        // A server without the list answers 404 for it.
        const QJsonObject rule{{QStringLiteral("status"), 404},
                               {QStringLiteral("count"), 1},
                               {QStringLiteral("method"), QStringLiteral("GET")},
                               {QStringLiteral("path"),
                                QStringLiteral("/v1/knowledge/collections/%1/documents").arg(id)},
                               {QStringLiteral("when"), QStringLiteral("before")}};
        QCOMPARE(sb::test::postAdmin(m_sim.adminUrl(), QStringLiteral("/faults"),
                                     QJsonObject{{QStringLiteral("failNext"), QJsonArray{rule}}}),
                 204);

        DocumentModel documents;
        QAbstractItemModelTester tester(&documents, Tester);
        QSignalSpy states(&documents, &DocumentModel::stateChanged);
        documents.setCollectionId(id);
        QCOMPARE(documents.state(), State::Idle);
        documents.load(c.platform);
        QVERIFY(waitForState(documents, State::NotSupported));
        QCOMPARE(documents.rowCount(), 0);
        QCOMPARE(documents.lastError().kind, ApiError::Kind::NotSupported);
        QVERIFY(!documents.notSupportedReason().isEmpty());
        QCOMPARE(states.last().at(0).value<State>(), State::NotSupported);

        // The fault is spent: the next load lists the documents.
        documents.reload();
        QVERIFY(waitForState(documents, State::Loaded));
        QVERIFY(documents.rowCount() > 0);
        QVERIFY(documents.notSupportedReason().isEmpty());
    }

    void filterProxy()
    {
        Client c = client();
        CollectionModel collections;
        ListFilterProxy proxy;
        proxy.setSourceModel(&collections);
        QAbstractItemModelTester tester(&proxy, Tester);
        proxy.sort(CollectionModel::Name);
        collections.load(c.platform);
        QVERIFY(waitForState(collections, State::Loaded));
        QCOMPARE(proxy.rowCount(), collections.rowCount());
        for (int row = 1; row < proxy.rowCount(); ++row)
            QVERIFY(proxy.index(row - 1, 0).data(PagedListModel::SortRole).toString() <=
                    proxy.index(row, 0).data(PagedListModel::SortRole).toString());

        const QString name = collections.collectionAt(1).name;
        proxy.setFilterText(name.toUpper());
        QCOMPARE(proxy.rowCount(), 1);
        QCOMPARE(proxy.index(0, 0).data(PagedListModel::IdRole).toString(),
                 collections.collectionAt(1).id);
        proxy.setFilterText(QStringLiteral("no collection is called this"));
        QCOMPARE(proxy.rowCount(), 0);
        proxy.setFilterText(QString());
        QCOMPARE(proxy.rowCount(), collections.rowCount());

        // A live rename re-sorts and re-filters through the targeted dataChanged.
        proxy.setFilterText(QStringLiteral("zzz"));
        KnowledgeCollection renamed = collections.collectionAt(0);
        renamed.name = QStringLiteral("ZZZ last");
        collections.upsert(renamed);
        QCOMPARE(proxy.rowCount(), 1);
        proxy.setFilterText(QString());
        QCOMPARE(proxy.index(proxy.rowCount() - 1, 0).data().toString(), renamed.name);
    }

    void failingLoadsAreFailedWithACaption()
    {
        const QString orgId = m_sim.keys().constFirst().orgId;
        const QStringList keys = m_sim.keysOf(orgId);
        QVERIFY(keys.size() >= 2);
        QCOMPARE(sb::test::postAdmin(m_sim.adminUrl(), QStringLiteral("/keys/revoke"),
                                     QJsonObject{{QStringLiteral("key"), keys.last()}}),
                 204);
        Client c = client(keys.last());
        PhoneNumberModel numbers;
        ContactModel contacts;
        CollectionModel collections;
        DocumentModel documents;
        documents.setCollectionId(QStringLiteral("col_any"));
        const QList<PagedListModel *> models{&numbers, &contacts, &collections, &documents};
        std::vector<std::unique_ptr<QAbstractItemModelTester>> testers;
        for (PagedListModel *model : models) {
            testers.push_back(std::make_unique<QAbstractItemModelTester>(model, Tester));
            model->load(c.platform);
        }
        for (PagedListModel *model : models) {
            QVERIFY2(waitForState(*model, State::Failed), model->metaObject()->className());
            QCOMPARE(model->rowCount(), 0);
            QCOMPARE(model->lastError().kind, ApiError::Kind::Unauthorized);
            QVERIFY(!model->lastError().caption().isEmpty());
            QVERIFY(model->notSupportedReason().isEmpty());
        }
    }
};

QTEST_GUILESS_MAIN(TestListModels)
#include "tst_listmodels.moc"
