from django.urls import path

from renkei.web.views import accounts, contacts, dedup, home, i18n, profile, team

app_name = "web"

urlpatterns = [
    path("", home.home, name="home"),
    path("contacts/", contacts.contact_list, name="contacts"),
    path("contacts/new/", contacts.contact_new, name="contact_new"),
    path("contacts/<int:pk>/", contacts.contact_detail, name="contact_detail"),
    path("contacts/<int:pk>/edit/", contacts.contact_edit, name="contact_edit"),
    path("contacts/<int:pk>/stage/", contacts.contact_change_stage, name="contact_stage"),
    path("contacts/<int:pk>/status/", contacts.contact_change_status, name="contact_status"),
    path("accounts/", accounts.account_list, name="accounts"),
    path("accounts/new/", accounts.account_new, name="account_new"),
    path("accounts/choices/", contacts.account_choices, name="account_choices"),
    path("accounts/<int:pk>/", accounts.account_detail, name="account_detail"),
    path("accounts/<int:pk>/edit/", accounts.account_edit, name="account_edit"),
    path("duplicates/", dedup.duplicate_list, name="duplicates"),
    path("duplicates/test/", dedup.duplicate_test, name="duplicate_test"),
    path("duplicates/<int:pk>/", dedup.duplicate_detail, name="duplicate_detail"),
    path("team/", team.team, name="team"),
    path("profile/", profile.profile, name="profile"),
    path("profile/tokens/", profile.token_create, name="token_create"),
    path("profile/tokens/<int:pk>/revoke/", profile.token_revoke, name="token_revoke"),
    path("language/", i18n.set_language, name="set_language"),
]
