#pragma once

// Helpers of the Numbers, Contacts and Place-a-call tests: server state read back through the
// platform (independent of the models the panes show), and clicks on rows and buttons.

#include "api/platform.h"

#include <QAbstractButton>
#include <QAbstractItemView>
#include <QApplication>
#include <QTest>

#include <optional>

namespace numbers_test {

//! Waits for \a reply and returns its result (nullopt on timeout).
template<class T>
std::optional<sb::api::Result<T>> waitFor(const sb::api::ApiReply<T> &reply, int timeoutMs = 20000)
{
    std::optional<sb::api::Result<T>> out;
    QObject context;
    reply.onFinished(&context, [&out](const sb::api::Result<T> &r) { out.emplace(r); });
    if (!QTest::qWaitFor([&out] { return out.has_value(); }, timeoutMs))
        return std::nullopt;
    return out;
}

//! Every item of a list, page by page, as the server has it now (empty on failure).
template<class T> QList<T> fetchAll(sb::api::Pager<T> pager)
{
    QList<T> all;
    while (pager.hasMore()) {
        const auto result = waitFor(pager.fetchNext());
        if (!result || !result->ok())
            return {};
        all += result->value().items;
    }
    return all;
}

template<class T> std::optional<T> findById(const QList<T> &items, const QString &id)
{
    for (const T &item : items) {
        if (item.id == id)
            return item;
    }
    return std::nullopt;
}

//! Clicks the row of \a view whose IdRole is \a id; false when it is not shown.
inline bool clickRow(QAbstractItemView *view, const QString &id, int idRole)
{
    auto *model = view->model();
    for (int row = 0; row < model->rowCount(); ++row) {
        const QModelIndex index = model->index(row, 0);
        if (index.data(idRole).toString() != id)
            continue;
        view->scrollTo(index);
        QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, view->visualRect(index).center());
        return view->currentIndex().row() == row;
    }
    return false;
}

//! Clicks \a text's button of the active modal message box (or of \a name's child of \a parent).
template<class Box> Box *findVisible(QWidget *parent, const QString &name = QString())
{
    const auto boxes = parent->findChildren<Box *>(name);
    for (Box *box : boxes) {
        if (box->isVisible())
            return box;
    }
    return nullptr;
}

} // namespace numbers_test
