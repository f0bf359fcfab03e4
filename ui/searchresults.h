#pragma once

#include "models/searchmodel.h"

#include <QTimer>
#include <QWidget>

class QLabel;
class QLineEdit;
class QTableView;

namespace sb::ui {

//! Full-text search over the cached transcripts: a query field (debounced), the ranked hits
//! with the matched words highlighted, and a line saying what the search found or why not.
class SearchResults : public QWidget
{
    Q_OBJECT
public:
    static constexpr int DebounceMs = 150;

    //! \a model is not owned; its queries run on its own worker thread.
    explicit SearchResults(sb::models::SearchModel *model, QWidget *parent = nullptr);

    void focusQuery();
    QLineEdit *queryField() const { return m_query; }
    QTableView *view() const { return m_view; }
    QLabel *statusLabel() const { return m_status; }
    //! The hit under the cursor; callId empty when none.
    sb::models::SearchHit currentHit() const;

Q_SIGNALS:
    //! A hit was chosen (Enter, double-click): open its call at that line.
    void hitActivated(const sb::models::SearchHit &hit);

private:
    void updateStatus();
    void activateRow(int row);

    sb::models::SearchModel *m_model;
    QLineEdit *m_query;
    QLabel *m_status;
    QTableView *m_view;
    QTimer m_debounce;
};

} // namespace sb::ui
