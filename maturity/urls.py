app_name = "maturity"

urlpatterns: list = []
