from django.urls import path

from renkei.web import views

app_name = "web"

urlpatterns = [
    path("", views.home, name="home"),
    path("contacts/", views.contact_list, name="contacts"),
    path("accounts/", views.account_list, name="accounts"),
]
