#pragma once

#include <QDialog>
#include <QStringList>

class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;

namespace sb::ui {

//! Asks for a text document for a knowledge collection: a title and its chunks, one per
//! paragraph (paragraphs are separated by an empty line).
class TextChunkDialog : public QDialog
{
    Q_OBJECT
public:
    //! The platform keeps chunks small; longer paragraphs are refused here, not by the server.
    static constexpr int kMaxChunkChars = 8000;

    explicit TextChunkDialog(const QString &collectionName, QWidget *parent = nullptr);

    QString title() const;
    //! The non-empty paragraphs, trimmed, in order.
    QStringList chunks() const;
    void setText(const QString &title, const QString &text);

    //! Splits \a text at empty lines into trimmed, non-empty paragraphs.
    static QStringList splitParagraphs(const QString &text);
    //! Why the input cannot be submitted (translated), empty when it can.
    QString validationError() const;

private:
    void validate();

    QLineEdit *m_title;
    QPlainTextEdit *m_text;
    QLabel *m_count;
    QLabel *m_error;
    QDialogButtonBox *m_buttons;
};

//! Asks for the name and description of a new knowledge collection.
class CollectionDialog : public QDialog
{
    Q_OBJECT
public:
    static constexpr int kMaxNameChars = 200;

    explicit CollectionDialog(QWidget *parent = nullptr);

    QString name() const;
    QString description() const;
    void setValues(const QString &name, const QString &description);

private:
    void validate();

    QLineEdit *m_name;
    QPlainTextEdit *m_description;
    QLabel *m_error;
    QDialogButtonBox *m_buttons;
};

} // namespace sb::ui
