#pragma once

#include "models/toolcallsmodel.h"
#include "models/transcriptmodel.h"

#include <QAbstractListModel>
#include <QPointer>
#include <QSet>

namespace sb::ui {

//! The transcript lines and the tool calls of one call merged into one time-ordered list (tool
//! calls inline between the lines). Follows both sources with targeted inserts, removals and
//! dataChanged, so a live transcript never resets (a reset of a source, a new call, resets it).
class TranscriptFeedModel : public QAbstractListModel
{
    Q_OBJECT
public:
    enum Role {
        KindRole = Qt::UserRole + 100, //!< int(Kind)
        TimeMsRole,                    //!< startMs of a line, atMs of a tool call
        ExpandedRole,                  //!< bool: a tool call shows its JSON
        HighlightedRole,               //!< bool: the line being spoken during playback
    };
    enum class Kind { Line, Tool };

    explicit TranscriptFeedModel(QObject *parent = nullptr);

    void setTranscript(sb::models::TranscriptModel *model);
    void setToolCalls(sb::models::ToolCallsModel *model);
    sb::models::TranscriptModel *transcript() const { return m_lines; }
    sb::models::ToolCallsModel *toolCalls() const { return m_tools; }

    Kind kindAt(int row) const { return m_rows.at(row).kind; }
    //! Row in the transcript or tool-call model behind feed row \a row.
    int sourceRow(int row) const { return m_rows.at(row).source; }
    //! The feed row of transcript row \a lineRow (-1 when unknown).
    int rowOfLine(int lineRow) const;
    qint64 timeAt(int row) const;

    void setExpanded(int row, bool expanded);
    bool isExpanded(int row) const;
    //! Marks the line spoken at \a ms (the last line started at or before it); -1 = none.
    //! Returns the feed row marked, -1 when none.
    int setHighlightTimeMs(qint64 ms);
    int highlightedRow() const;

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;

private:
    struct Entry
    {
        Kind kind = Kind::Line;
        int source = 0;
    };
    void rebuild();
    void onInserted(Kind kind, int first, int last);
    void onRemoved(Kind kind, int first, int last);
    void onChanged(Kind kind, int first, int last);
    void reindex();
    qint64 sourceTime(Kind kind, int sourceRow) const;
    QString toolKey(int sourceRow) const;
    int insertPosition(qint64 timeMs, Kind kind) const;

    QPointer<sb::models::TranscriptModel> m_lines;
    QPointer<sb::models::ToolCallsModel> m_tools;
    QList<QMetaObject::Connection> m_lineConnections;
    QList<QMetaObject::Connection> m_toolConnections;
    QList<Entry> m_rows;
    QList<int> m_feedOfLine;  //!< transcript row → feed row
    QList<int> m_feedOfTool;  //!< tool-call row → feed row
    QSet<QString> m_expanded; //!< tool calls shown open, by tool + atMs (rows shift on trims)
    qint64 m_highlightMs = -1;
    int m_highlightLine = -1; //!< transcript row
};

} // namespace sb::ui
