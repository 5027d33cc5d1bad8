#include "store/StoreEdit.h"

namespace litescope {

namespace {

StoreEdit make(StoreEdit::Kind kind) {
    StoreEdit edit;
    edit.kind = kind;
    return edit;
}

} // namespace

StoreEdit StoreEdit::setMemberScope(QString team, QString user, QStringList models) {
    StoreEdit edit = make(Kind::SetMemberScope);
    edit.team = std::move(team);
    edit.user = std::move(user);
    edit.models = std::move(models);
    return edit;
}

StoreEdit StoreEdit::addMember(QString team, QString user) {
    StoreEdit edit = make(Kind::AddMember);
    edit.team = std::move(team);
    edit.user = std::move(user);
    return edit;
}

StoreEdit StoreEdit::updateMember(QString team, QString user) {
    StoreEdit edit = make(Kind::UpdateMember);
    edit.team = std::move(team);
    edit.user = std::move(user);
    return edit;
}

StoreEdit StoreEdit::removeMember(QString team, QString user) {
    StoreEdit edit = make(Kind::RemoveMember);
    edit.team = std::move(team);
    edit.user = std::move(user);
    return edit;
}

StoreEdit StoreEdit::setTeamModels(QString team, QStringList models) {
    StoreEdit edit = make(Kind::SetTeamModels);
    edit.team = std::move(team);
    edit.models = std::move(models);
    return edit;
}

StoreEdit StoreEdit::setDefaultMemberModels(QString team, QStringList models) {
    StoreEdit edit = make(Kind::SetDefaultMemberModels);
    edit.team = std::move(team);
    edit.models = std::move(models);
    return edit;
}

StoreEdit StoreEdit::setTeamAlias(QString team, QString alias) {
    StoreEdit edit = make(Kind::SetTeamAlias);
    edit.team = std::move(team);
    edit.alias = std::move(alias);
    return edit;
}

StoreEdit StoreEdit::setTeamBlocked(QString team, bool blocked) {
    StoreEdit edit = make(Kind::SetTeamBlocked);
    edit.team = std::move(team);
    edit.blocked = blocked;
    return edit;
}

StoreEdit StoreEdit::setKeyModels(QString key, QStringList models) {
    StoreEdit edit = make(Kind::SetKeyModels);
    edit.key = std::move(key);
    edit.models = std::move(models);
    return edit;
}

} // namespace litescope
